package io.meshwatch.detect;

import static io.meshwatch.detect.Scenario.t;
import static io.meshwatch.detect.TestNetwork.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.inventory.Severity;
import io.meshwatch.routing.BestPathReason;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.Path;
import io.meshwatch.routing.PathAttributes;
import io.meshwatch.routing.Peer;
import io.meshwatch.routing.Prefix;
import io.meshwatch.routing.RouteDelta;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrefixDetectionTest {

    @Test
    void withdrawThenAnnounceWithinDebounceIsSilent() {
        Scenario s = Scenario.steady();
        s.at(10).withdrawn(CX, PRIVATELINK).silent();
        assertEquals(Optional.of(t(13)), s.engine.nextDeadline(), "3 s debounce");
        s.at(12.999).tick().bestVia(CX, PRIVATELINK, DX_PEER).silent();
        assertEquals(Optional.empty(), s.engine.nextDeadline());
        s.at(13).tick().at(60).tick().silent();
    }

    @Test
    void prefixLostPastDebounceIsUnreachable() {
        Scenario s = Scenario.steady();
        s.at(10).withdrawn(CX, PRIVATELINK);
        s.at(12.999).tick().silent();
        s.at(13).tick();
        Signal u = s.fired(SignalType.PREFIX_UNREACHABLE);
        s.silent();
        assertEquals(Map.of("router", CX, "vrf", "default", "prefix", PRIVATELINK), u.labels());
        assertEquals(Severity.CRITICAL, u.severity(), "the inventory's severity for this prefix");
        assertEquals(t(10), u.startedAt());
        assertEquals(Duration.ofSeconds(3), u.detectionLatency());
        assertEquals("10.1.200.0/24 (customer-a PrivateLink endpoints (us-east-1)) unreachable from cx-ash (vrf default):"
                + " its last path was withdrawn", u.summary());

        s.at(40).bestVia(CX, PRIVATELINK, INET_PEER);
        assertEquals(t(40), s.resolved(SignalType.PREFIX_UNREACHABLE).endedAt());
        s.fired(SignalType.BEST_PATH_ON_BACKUP);
        s.silent();
    }

    @Test
    void zeroDebounceFiresAtOnce() {
        Scenario s = Scenario.steady(DetectionSettings.defaults().withPrefixDebounce(Duration.ZERO));
        s.at(10).withdrawn(CX, VPCS);
        assertEquals(Severity.MAJOR, s.fired(SignalType.PREFIX_UNREACHABLE).severity());
    }

    @Test
    void zeroDebounceWithdrawAndAnnounceInOneBatchIsSilent() {
        Scenario s = Scenario.steady(DetectionSettings.defaults().withPrefixDebounce(Duration.ZERO));
        s.at(10);
        Path via = new Path(new Peer("", IpAddress.parse(DX_PEER), (int) AWS_AS, 1), 0,
                PathAttributes.builder().nextHop(IpAddress.parse(DX_PEER)).build());
        Prefix p = Prefix.parse(PRIVATELINK);
        s.engine.routeDeltas(CX, List.of(new RouteDelta("", p, via, null, BestPathReason.NO_PATH),
                new RouteDelta("", p, null, via, BestPathReason.ONLY_PATH)), t(10));
        s.silent();
        assertTrue(s.engine.firing().isEmpty());
    }

    @Test
    void prefixWithListedRoutersIsWatchedOnThoseOnly() {
        Scenario s = Scenario.steady();
        s.at(0).bestVia(TR, PRIVATELINK, "10.0.0.9", 65002).bestVia(TR, VPCS, "10.0.0.9", 65002);
        s.at(10).withdrawn(TR, PRIVATELINK).withdrawn(TR, VPCS);
        s.at(20).tick();
        s.fired(SignalType.PREFIX_UNREACHABLE, "router", TR, "prefix", VPCS);
        s.silent();
    }

    @Test
    void otherPrefixesAreIgnoredUnlessAnyPrefixModeIsOn() {
        Scenario off = Scenario.steady();
        off.at(0).bestVia(CX, "192.0.2.0/24", DX_PEER).at(10).withdrawn(CX, "192.0.2.0/24").at(20).tick().silent();
        assertEquals(Optional.empty(), off.engine.nextDeadline());

        Scenario on = Scenario.steady(DetectionSettings.defaults().withAnyPrefix(true, Severity.MINOR, 2));
        on.at(0).bestVia(CX, "192.0.2.0/24", DX_PEER).bestVia(CX, "198.51.100.0/24", DX_PEER)
                .bestVia(CX, "203.0.113.0/24", DX_PEER);
        on.at(10).withdrawn(CX, "192.0.2.0/24").withdrawn(CX, "198.51.100.0/24").withdrawn(CX, "203.0.113.0/24");
        assertEquals(1, on.engine.droppedPrefixLosses(), "at most 2 tracked");
        on.at(13).tick();
        assertEquals(Severity.MINOR, on.fired(SignalType.PREFIX_UNREACHABLE, "prefix", "192.0.2.0/24").severity());
        on.fired(SignalType.PREFIX_UNREACHABLE, "prefix", "198.51.100.0/24");
        on.silent();
        on.at(20).bestVia(CX, "192.0.2.0/24", DX_PEER).resolved(SignalType.PREFIX_UNREACHABLE);
        on.at(21).withdrawn(CX, "203.0.113.0/24").at(24).tick();
        on.fired(SignalType.PREFIX_UNREACHABLE, "prefix", "203.0.113.0/24");
        assertEquals(1, on.engine.droppedPrefixLosses(), "a slot was free again");
    }

    @Test
    void bestPathOnBackupFiresAndResolvesWhenItMovesBack() {
        Scenario s = Scenario.steady();
        s.at(10).bestVia(CX, VNETS, AZ_INET_PEER, AZURE_AS);
        Signal b = s.fired(SignalType.BEST_PATH_ON_BACKUP);
        s.silent();
        assertEquals(Map.of("router", CX, "vrf", "default", "prefix", VNETS), b.labels());
        assertEquals(Severity.WARNING, b.severity());
        assertEquals(AZ_GROUP, b.annotation("tunnel_group"));
        assertEquals(AZ_BACKUP, b.annotation("tunnel"));
        assertEquals("10.10.0.0/16 (Azure East US VNets) on cx-ash now via backup tunnel vpn-ash-azure-inet"
                + " (169.254.120.2) of vpn-ash-azure", b.summary());
        s.at(20).bestVia(CX, VNETS, AZ_INET_PEER, AZURE_AS).silent();
        s.at(30).bestVia(CX, VNETS, ER_PEER, AZURE_AS);
        assertEquals(t(30), s.resolved(SignalType.BEST_PATH_ON_BACKUP).endedAt());
    }

    @Test
    void unwatchedPrefixOnBackupAndWatchedPrefixViaOtherPeersAreSilent() {
        Scenario s = Scenario.steady();
        s.at(10).bestVia(CX, "192.0.2.0/24", INET_PEER).bestVia(CX, VPCS, "10.99.0.1").silent();
    }
}
