package io.meshwatch.detect;

import io.meshwatch.inventory.Inventory;
import io.meshwatch.inventory.RoutePolicy;
import io.meshwatch.inventory.SessionRef;
import io.meshwatch.inventory.WatchedPrefix;
import io.meshwatch.routing.Afi;
import io.meshwatch.routing.Prefix;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The inventory's route policies, found by the prefix of a route: the policy that judges a prefix
 * is its own entry's when the inventory lists the prefix (a listed prefix without a policy is judged
 * by none), else that of the most specific listed prefix with a policy that covers it (its range).
 * Immutable and thread-safe: the BGP writer asks {@link #judges} for every best-path change (the
 * shard stage's interest), so a lookup is one hash probe per distinct policy prefix length, no scan.
 */
public final class PolicyRanges {

    /** A listed prefix with its policy (null when it has none) and the policy's compiled AS-path pattern. */
    record Entry(WatchedPrefix watched, Prefix prefix, RoutePolicy policy, Pattern asPath) {

        /** The longest length the range may be announced with. */
        int maxLength() {
            return policy.maxLength() == null ? prefix.length() : policy.maxLength();
        }
    }

    private record Key(String vrf, Prefix prefix) {
    }

    private static final PolicyRanges NONE = new PolicyRanges(Map.of(), Map.of(), new int[0], new int[0]);

    private final Map<Key, Entry> listed;
    private final Map<Key, Entry> ranges;
    /** Distinct lengths of policy prefixes, longest first, per address family. */
    private final int[] v4Lengths;
    private final int[] v6Lengths;

    private PolicyRanges(Map<Key, Entry> listed, Map<Key, Entry> ranges, int[] v4Lengths, int[] v6Lengths) {
        this.listed = listed;
        this.ranges = ranges;
        this.v4Lengths = v4Lengths;
        this.v6Lengths = v6Lengths;
    }

    /** The policies of an inventory; with none, an instance that judges nothing. */
    public static PolicyRanges of(Inventory inv) {
        if (inv.prefixes().stream().noneMatch(w -> w.policy() != null)) {
            return NONE;
        }
        Map<Key, Entry> listed = new HashMap<>();
        Map<Key, Entry> ranges = new HashMap<>();
        TreeSet<Integer> v4 = new TreeSet<>();
        TreeSet<Integer> v6 = new TreeSet<>();
        for (WatchedPrefix w : inv.prefixes()) {
            Prefix p;
            Pattern pattern = null;
            try {
                p = Prefix.parse(w.prefix());
                if (w.policy() != null && w.policy().asPath() != null) {
                    pattern = Pattern.compile(w.policy().asPath());
                }
            } catch (IllegalArgumentException e) {
                continue; // the inventory loader refuses these; an unparsable one judges nothing
            }
            Key k = new Key(vrf(w.vrf()), p);
            Entry e = new Entry(w, p, w.policy(), pattern);
            listed.put(k, e);
            if (w.policy() != null) {
                ranges.put(k, e);
                (p.afi() == Afi.IPV4 ? v4 : v6).add(p.length());
            }
        }
        return new PolicyRanges(Map.copyOf(listed), Map.copyOf(ranges), descending(v4), descending(v6));
    }

    private static int[] descending(TreeSet<Integer> lengths) {
        return lengths.descendingSet().stream().mapToInt(Integer::intValue).toArray();
    }

    /** Whether any policy judges routes of {@code prefix} in {@code vrf}. */
    public boolean judges(String vrf, Prefix prefix) {
        return entry(vrf, prefix) != null;
    }

    /** The entry whose policy judges {@code prefix}, or null. */
    Entry entry(String vrf, Prefix prefix) {
        if (ranges.isEmpty()) {
            return null;
        }
        String v = vrf(vrf);
        Entry own = listed.get(new Key(v, prefix));
        if (own != null) {
            return own.policy() == null ? null : own;
        }
        for (int len : prefix.afi() == Afi.IPV4 ? v4Lengths : v6Lengths) {
            if (len < prefix.length()) {
                Entry e = ranges.get(new Key(v, truncate(prefix, len)));
                if (e != null) {
                    return e;
                }
            }
        }
        return null;
    }

    static Prefix truncate(Prefix p, int length) {
        if (p.afi() == Afi.IPV4) {
            int mask = length == 0 ? 0 : -1 << (32 - length);
            return Prefix.ipv4(p.ipv4Address() & mask, length);
        }
        long hiMask = length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
        long loMask = length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
        return Prefix.ipv6(p.hi() & hiMask, p.lo() & loMask, length);
    }

    private static String vrf(String v) {
        return v == null || v.isEmpty() ? SessionRef.DEFAULT_VRF : v;
    }
}
