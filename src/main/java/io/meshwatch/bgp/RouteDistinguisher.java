package io.meshwatch.bgp;

import io.meshwatch.routing.Addresses;

/**
 * Route distinguishers (RFC 4364 4.2) as routers print them: type 0 {@code 2-byte-AS:number},
 * type 1 {@code IPv4:number}, type 2 {@code 4-byte-AS:number}; other types as {@code 0x} and
 * 16 hex digits. All zeros is the global table.
 */
public final class RouteDistinguisher {

    private RouteDistinguisher() {
    }

    /** Reads 8 bytes. */
    public static String read(Cursor c) throws BgpWireException {
        int type = c.u16("route distinguisher type");
        long value = ((long) c.u16("route distinguisher") << 32) | c.u32("route distinguisher");
        return format(type, value);
    }

    /** Text of a route distinguisher given its type and 6-byte value. */
    public static String format(int type, long value) {
        return switch (type) {
            case 0 -> (value >>> 32) + ":" + (value & 0xFFFF_FFFFL);
            case 1 -> Addresses.formatIpv4((int) (value >>> 16)) + ":" + (value & 0xFFFF);
            case 2 -> (value >>> 16) + ":" + (value & 0xFFFF);
            default -> String.format("0x%04x%012x", type, value);
        };
    }

    /** True for the all-zero distinguisher. */
    public static boolean isZero(int type, long value) {
        return type == 0 && value == 0;
    }
}
