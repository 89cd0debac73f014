package io.meshwatch.detect;

import io.meshwatch.inventory.Circuit;
import io.meshwatch.inventory.CircuitKind;
import io.meshwatch.inventory.CircuitThresholds;
import io.meshwatch.inventory.Endpoint;
import io.meshwatch.inventory.Inventory;
import io.meshwatch.inventory.Router;
import io.meshwatch.inventory.RouterRole;
import io.meshwatch.inventory.SessionRef;
import io.meshwatch.inventory.Severity;
import io.meshwatch.inventory.Tunnel;
import io.meshwatch.inventory.TunnelGroup;
import io.meshwatch.inventory.TunnelRole;
import io.meshwatch.inventory.WatchedPrefix;
import java.time.Duration;
import java.util.List;

/**
 * The Ashburn part of the demo network, as records (no YAML parser): cloud-exchange router cx-ash
 * with Direct Connect dx-ash-use1 to tr-use1 and ExpressRoute er-ash-azure, each carrying the
 * primary of a tunnel group whose backup rides the internet; plus ic-ash-gcp, a circuit with no
 * tunnel group behind it.
 */
final class TestNetwork {

    static final String CX = "cx-ash";
    static final String TR = "tr-use1";
    static final String DX = "dx-ash-use1";
    static final String ER = "er-ash-azure";
    static final String IC = "ic-ash-gcp";
    static final String GROUP = "vpn-ash-use1";
    static final String PRIMARY = "vpn-ash-use1-dx";
    static final String BACKUP = "vpn-ash-use1-inet";
    static final String BACKUP_ALIAS = "vpn-0a11c0ffee0000001:52.23.10.10";
    static final String AZ_GROUP = "vpn-ash-azure";
    static final String AZ_PRIMARY = "vpn-ash-azure-er";
    static final String AZ_BACKUP = "vpn-ash-azure-inet";
    /** cx-ash's BGP peer over the Direct Connect primary tunnel. */
    static final String DX_PEER = "169.254.10.2";
    /** tr-use1's BGP peer (cx-ash) over the Direct Connect. */
    static final String DX_PEER_TR = "169.254.10.1";
    static final String INET_PEER = "169.254.110.2";
    static final String ER_PEER = "169.254.20.2";
    static final String AZ_INET_PEER = "169.254.120.2";
    static final String IC_PEER = "169.254.30.2";
    static final long AWS_AS = 64512;
    static final long AZURE_AS = 12076;
    static final long GCP_AS = 16550;
    static final String VPCS = "10.1.0.0/16";
    static final String PRIVATELINK = "10.1.200.0/24";
    static final String SHARED = "10.1.100.0/24";
    static final String VNETS = "10.10.0.0/16";

    private TestNetwork() {
    }

    static CircuitThresholds thresholds(double latency, double jitter) {
        return new CircuitThresholds(latency, jitter, 1.0, 2.0, 100.0, 3, Duration.ofSeconds(30), 0.8);
    }

    static Inventory inventory() {
        List<Router> routers = List.of(
                new Router(TR, "aws-us-east-1-transit-vpc", "us-east-1", 65001, RouterRole.TRANSIT),
                new Router(CX, "equinix-dc2-ashburn", null, 65010, RouterRole.CLOUD_EXCHANGE));
        List<Circuit> circuits = List.of(
                new Circuit(DX, CircuitKind.DIRECT_CONNECT, "AWS Direct Connect 10G (Equinix DC2)",
                        new Endpoint(CX, "eth1"), new Endpoint(TR, "eth1"),
                        List.of(new SessionRef(CX, "default", DX_PEER), new SessionRef(TR, "default", DX_PEER_TR)),
                        thresholds(15, 5)),
                new Circuit(ER, CircuitKind.EXPRESSROUTE, "Microsoft ExpressRoute 1G via Equinix DC2 (East US)",
                        new Endpoint(CX, "eth2"), new Endpoint(null, "msee-eastus-primary"),
                        List.of(new SessionRef(CX, "default", ER_PEER)), thresholds(10, 4)),
                new Circuit(IC, CircuitKind.INTERCONNECT, "Google Partner Interconnect 1G via Equinix DC2",
                        new Endpoint(CX, "eth3"), new Endpoint(null, "gcp-cloud-router-us-east4"),
                        List.of(new SessionRef(CX, "default", IC_PEER)), thresholds(10, 4)));
        List<TunnelGroup> groups = List.of(
                new TunnelGroup(GROUP, Duration.ofSeconds(30), List.of(
                        new Tunnel(PRIMARY, CX, "10.1.255.10", TunnelRole.PRIMARY, DX,
                                new SessionRef(CX, "default", DX_PEER), List.of()),
                        new Tunnel(BACKUP, CX, "52.23.10.10", TunnelRole.BACKUP, null,
                                new SessionRef(CX, "default", INET_PEER), List.of(BACKUP_ALIAS)))),
                new TunnelGroup(AZ_GROUP, Duration.ofSeconds(45), List.of(
                        new Tunnel(AZ_PRIMARY, CX, "10.10.255.4", TunnelRole.PRIMARY, ER,
                                new SessionRef(CX, "default", ER_PEER), List.of()),
                        new Tunnel(AZ_BACKUP, CX, "20.62.10.10", TunnelRole.BACKUP, null,
                                new SessionRef(CX, "default", AZ_INET_PEER), List.of()))));
        List<WatchedPrefix> prefixes = List.of(
                new WatchedPrefix(VPCS, "default", "AWS us-east-1 VPCs", Severity.MAJOR, List.of()),
                new WatchedPrefix(SHARED, "default", "shared services (us-east-1)", Severity.MAJOR, List.of()),
                new WatchedPrefix(PRIVATELINK, "default", "customer-a PrivateLink endpoints (us-east-1)",
                        Severity.CRITICAL, List.of(CX)),
                new WatchedPrefix(VNETS, "default", "Azure East US VNets", Severity.MAJOR, List.of()));
        return new Inventory(routers, circuits, groups, prefixes);
    }
}
