package io.meshwatch.inventory;

import java.util.List;

/**
 * One IPSec tunnel.
 *
 * @param id            unique id; {@code ipsec.tunnel_state} events name it
 * @param router        the router that terminates it
 * @param remoteGateway the far gateway's address (or a cloud VPN gateway's name)
 * @param role          primary or backup within its group
 * @param circuit       the circuit it rides, or null when it rides the internet
 * @param session       the BGP session over the tunnel, or null
 * @param aliases       other names cloud pollers use for it (for example an AWS VPN connection id
 *                      with the tunnel's outside address, {@code vpn-0a1b2c3d:52.1.2.3})
 */
public record Tunnel(String id, String router, String remoteGateway, TunnelRole role, String circuit,
                     SessionRef session, List<String> aliases) {

    public Tunnel {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }
}
