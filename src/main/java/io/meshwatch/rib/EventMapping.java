package io.meshwatch.rib;

import io.meshwatch.event.BgpAttributes;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.routing.Addresses;
import io.meshwatch.routing.AsPath;
import io.meshwatch.routing.Communities;
import io.meshwatch.routing.IpAddress;
import io.meshwatch.routing.Nlri;
import io.meshwatch.routing.Origin;
import io.meshwatch.routing.PathAttributes;
import io.meshwatch.routing.Prefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Translation of canonical events (the wire contract) into route-table types (the core). Plain
 * Java, stateless, thread-safe.
 *
 * <p>The canonical VRF {@code default} is the core's global table {@code ""}. Extended communities
 * travel as text; the forms {@code rt:}/{@code soo:} with a 2-octet AS, 4-octet AS or IPv4
 * administrator, and raw {@code 0x} plus 16 hex digits become their 8-octet value; other text is
 * not stored in the table (the count is returned by {@link #unparsedExtCommunities}).
 */
public final class EventMapping {

    private EventMapping() {
    }

    /** The core's name for a canonical VRF. */
    public static String vrf(String canonical) {
        return "default".equals(canonical) ? "" : canonical;
    }

    /** The canonical name for a core VRF. */
    public static String canonicalVrf(String core) {
        return core.isEmpty() ? "default" : core;
    }

    public static List<Nlri> nlris(List<io.meshwatch.event.Nlri> in) {
        if (in.isEmpty()) {
            return List.of();
        }
        List<Nlri> out = new ArrayList<>(in.size());
        for (io.meshwatch.event.Nlri n : in) {
            out.add(new Nlri(n.prefix(), (int) n.pathId()));
        }
        return out;
    }

    public static List<Prefix> prefixes(List<io.meshwatch.event.Nlri> in) {
        List<Prefix> out = new ArrayList<>(in.size());
        for (io.meshwatch.event.Nlri n : in) {
            out.add(n.prefix());
        }
        return out;
    }

    /** Attributes of an announcement; null when the event only withdraws. */
    public static PathAttributes attributes(BgpUpdateEvent e) {
        BgpAttributes a = e.attributes();
        if (a == null) {
            return null;
        }
        PathAttributes.Builder b = PathAttributes.builder()
                .origin(Origin.valueOf(a.origin().toUpperCase(Locale.ROOT)))
                .asPath(asPath(a.asPath()))
                .nextHop(IpAddress.parse(a.nextHop()))
                .atomicAggregate(a.atomicAggregate());
        if (a.localPref() != null) {
            b.localPref((int) (long) a.localPref());
        }
        if (a.med() != null) {
            b.med((int) (long) a.med());
        }
        if (a.originatorId() != null) {
            b.originatorId(Addresses.parseIpv4(a.originatorId()));
        }
        if (!a.clusterList().isEmpty()) {
            int[] ids = new int[a.clusterList().size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = Addresses.parseIpv4(a.clusterList().get(i));
            }
            b.clusterList(ids);
        }
        if (!a.communities().isEmpty() || !a.largeCommunities().isEmpty() || !a.extCommunities().isEmpty()) {
            b.communities(communities(a));
        }
        return b.build();
    }

    static AsPath asPath(List<Object> segments) {
        if (segments.isEmpty()) {
            return AsPath.EMPTY;
        }
        AsPath.Builder b = AsPath.builder();
        int[] run = new int[segments.size()];
        int n = 0;
        for (Object s : segments) {
            if (s instanceof Long asn) {
                run[n++] = (int) (long) asn;
            } else {
                if (n > 0) {
                    b.sequence(java.util.Arrays.copyOf(run, n));
                    n = 0;
                }
                List<?> set = (List<?>) s;
                int[] members = new int[set.size()];
                for (int i = 0; i < members.length; i++) {
                    members[i] = (int) (long) (Long) set.get(i);
                }
                b.set(members);
            }
        }
        if (n > 0) {
            b.sequence(java.util.Arrays.copyOf(run, n));
        }
        return b.build();
    }

    static Communities communities(BgpAttributes a) {
        int[] standard = new int[a.communities().size()];
        for (int i = 0; i < standard.length; i++) {
            String c = a.communities().get(i);
            int colon = c.indexOf(':');
            standard[i] = (Integer.parseInt(c, 0, colon, 10) << 16) | Integer.parseInt(c, colon + 1, c.length(), 10);
        }
        int[] large = new int[a.largeCommunities().size() * 3];
        for (int i = 0; i < a.largeCommunities().size(); i++) {
            String[] f = a.largeCommunities().get(i).split(":");
            for (int j = 0; j < 3; j++) {
                large[i * 3 + j] = (int) Long.parseLong(f[j]);
            }
        }
        long[] ext = new long[a.extCommunities().size()];
        int n = 0;
        for (String text : a.extCommunities()) {
            Long v = extCommunity(text);
            if (v != null) {
                ext[n++] = v;
            }
        }
        return Communities.of(standard, java.util.Arrays.copyOf(ext, n), large);
    }

    /** How many of the event's extended communities have a text form the table cannot store. */
    public static int unparsedExtCommunities(BgpUpdateEvent e) {
        if (e.attributes() == null) {
            return 0;
        }
        int bad = 0;
        for (String text : e.attributes().extCommunities()) {
            bad += extCommunity(text) == null ? 1 : 0;
        }
        return bad;
    }

    /** The 8-octet value of an extended community's text, or null for a form not understood. */
    static Long extCommunity(String text) {
        try {
            if (text.startsWith("0x") && text.length() == 18) {
                return Long.parseUnsignedLong(text.substring(2), 16);
            }
            int subtype;
            if (text.startsWith("rt:")) {
                subtype = 0x02;
            } else if (text.startsWith("soo:")) {
                subtype = 0x03;
            } else {
                return null;
            }
            String rest = text.substring(text.indexOf(':') + 1);
            int colon = rest.lastIndexOf(':');
            String admin = rest.substring(0, colon);
            long local = Long.parseLong(rest.substring(colon + 1));
            if (admin.indexOf('.') >= 0) { // IPv4 administrator, 2-octet local
                return (0x01L << 56) | ((long) subtype << 48)
                        | ((Addresses.parseIpv4(admin) & 0xFFFF_FFFFL) << 16) | (local & 0xFFFF);
            }
            long asn = Long.parseLong(admin);
            if (asn <= 0xFFFF) { // 2-octet AS, 4-octet local
                return ((long) subtype << 48) | (asn << 32) | (local & 0xFFFF_FFFFL);
            }
            return (0x02L << 56) | ((long) subtype << 48) | ((asn & 0xFFFF_FFFFL) << 16) | (local & 0xFFFF);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
