package io.meshwatch.mrt;

/** Names of MRT types and subtypes (RFC 6396 section 4, RFC 8050), for counters and messages. */
final class MrtTypes {

    static final int TABLE_DUMP = 12;
    static final int TABLE_DUMP_V2 = 13;
    static final int BGP4MP = 16;
    static final int BGP4MP_ET = 17;

    private static final String[] TD2 = {"?", "PEER_INDEX_TABLE", "RIB_IPV4_UNICAST", "RIB_IPV4_MULTICAST",
        "RIB_IPV6_UNICAST", "RIB_IPV6_MULTICAST", "RIB_GENERIC", "?", "RIB_IPV4_UNICAST_ADDPATH",
        "RIB_IPV4_MULTICAST_ADDPATH", "RIB_IPV6_UNICAST_ADDPATH", "RIB_IPV6_MULTICAST_ADDPATH",
        "RIB_GENERIC_ADDPATH"};
    private static final String[] MP = {"STATE_CHANGE", "MESSAGE", "?", "?", "MESSAGE_AS4", "STATE_CHANGE_AS4",
        "MESSAGE_LOCAL", "MESSAGE_AS4_LOCAL", "MESSAGE_ADDPATH", "MESSAGE_AS4_ADDPATH", "MESSAGE_LOCAL_ADDPATH",
        "MESSAGE_AS4_LOCAL_ADDPATH"};

    private MrtTypes() {
    }

    /** E.g. {@code TABLE_DUMP_V2/RIB_IPV4_UNICAST}; numbers for what is not known. */
    static String name(int type, int subtype) {
        return switch (type) {
            case TABLE_DUMP -> "TABLE_DUMP/" + (subtype == 1 ? "AFI_IPv4" : subtype == 2 ? "AFI_IPv6" : subtype);
            case TABLE_DUMP_V2 -> "TABLE_DUMP_V2/" + pick(TD2, subtype);
            case BGP4MP -> "BGP4MP/" + pick(MP, subtype);
            case BGP4MP_ET -> "BGP4MP_ET/" + pick(MP, subtype);
            default -> "type " + type + "/" + subtype;
        };
    }

    private static String pick(String[] names, int i) {
        return i >= 0 && i < names.length && !"?".equals(names[i]) ? names[i] : String.valueOf(i);
    }
}
