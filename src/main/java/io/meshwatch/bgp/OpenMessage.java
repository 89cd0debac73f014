package io.meshwatch.bgp;

import java.util.HashMap;
import java.util.Map;

/**
 * A decoded BGP OPEN (RFC 4271 4.2) with the capabilities Meshwatch needs (RFC 5492): 4-octet AS
 * (RFC 6793) and ADD-PATH (RFC 7911). Extended optional parameters (RFC 9072) are understood.
 * Immutable.
 *
 * @param as         the speaker's AS: the 4-octet AS capability when present, else My Autonomous System
 * @param fourByteAs whether the 4-octet AS capability was advertised
 * @param addPath    ADD-PATH send/receive value (1 receive, 2 send, 3 both) by {@code afi << 8 | safi}
 */
public record OpenMessage(int version, long as, int holdTime, String bgpId, boolean fourByteAs,
                          Map<Integer, Integer> addPath) {

    private static final int CAPABILITIES = 2;
    private static final int CAP_FOUR_BYTE_AS = 65;
    private static final int CAP_ADD_PATH = 69;

    /** Whether this speaker said it can send path ids for the family. */
    public boolean canSend(int afi, int safi) {
        return (addPath.getOrDefault(afi << 8 | safi, 0) & 2) != 0;
    }

    /** Whether this speaker said it can receive path ids for the family. */
    public boolean canReceive(int afi, int safi) {
        return (addPath.getOrDefault(afi << 8 | safi, 0) & 1) != 0;
    }

    /** Decodes the body of an OPEN (after the 19-byte header). */
    public static OpenMessage decode(Cursor c) throws BgpWireException {
        int version = c.u8("OPEN version");
        long as = c.u16("OPEN my AS");
        int hold = c.u16("OPEN hold time");
        String id = c.ipv4("OPEN BGP identifier");
        int optLen = c.u8("OPEN optional parameters length");
        boolean extended = optLen == 255 && c.hasRemaining() && c.peekU8() == 255;
        if (extended) {
            c.u8("extended optional parameters marker");
            optLen = c.u16("extended optional parameters length");
        }
        Cursor params = c.slice(optLen, "OPEN optional parameters");
        boolean fourByte = false;
        Map<Integer, Integer> addPath = new HashMap<>();
        while (params.hasRemaining()) {
            int type = params.u8("optional parameter type");
            int len = extended ? params.u16("optional parameter length") : params.u8("optional parameter length");
            Cursor p = params.slice(len, "optional parameter");
            if (type != CAPABILITIES) {
                continue;
            }
            while (p.hasRemaining()) {
                int code = p.u8("capability code");
                Cursor cap = p.slice(p.u8("capability length"), "capability");
                if (code == CAP_FOUR_BYTE_AS) {
                    as = cap.u32("4-octet AS capability");
                    fourByte = true;
                } else if (code == CAP_ADD_PATH) {
                    while (cap.hasRemaining()) {
                        int afi = cap.u16("ADD-PATH AFI");
                        int safi = cap.u8("ADD-PATH SAFI");
                        addPath.put(afi << 8 | safi, cap.u8("ADD-PATH send/receive"));
                    }
                }
            }
        }
        return new OpenMessage(version, as, hold, id, fourByte, Map.copyOf(addPath));
    }
}
