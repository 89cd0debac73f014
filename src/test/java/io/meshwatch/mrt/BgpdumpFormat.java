package io.meshwatch.mrt;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.event.BgpAttributes;
import io.meshwatch.event.BgpState;
import io.meshwatch.event.BgpUpdateEvent;
import io.meshwatch.event.CanonicalEvent;
import io.meshwatch.event.EventCodec;
import io.meshwatch.event.Nlri;
import io.meshwatch.event.PeerStateEvent;
import io.meshwatch.event.RejectedRecordException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Formats canonical events as bgpdump {@code -m} lines, after an encode/decode round trip through
 * {@link EventCodec}, and normalises bgpdump's own lines to the fields canonical events carry.
 *
 * <p>Not compared: the AGGREGATOR field (canonical events do not carry it; blanked on both sides)
 * and the timestamp of RIB ({@code B}) lines (bgpdump prints the dump time from the MRT header,
 * canonical RIB events carry each entry's originated time; replaced by {@code *}). A next hop of
 * {@code 0.0.0.0} or {@code ::} (canonical for "the dump had none") is printed as bgpdump's
 * {@code 255.255.255.255}. Everything else (timestamps of BGP4MP lines, peer, peer AS, prefix,
 * ADD-PATH path id, AS path with AS sets, origin, next hop, LOCAL_PREF, MED, communities,
 * ATOMIC_AGGREGATE, state codes) is compared exactly.
 */
final class BgpdumpFormat {

    private static final EventCodec CODEC = new EventCodec(new ObjectMapper());

    private BgpdumpFormat() {
    }

    /** Encodes then decodes, as a consumer of the topic would see the event. */
    static CanonicalEvent roundTrip(CanonicalEvent e) {
        try {
            return CODEC.decode(CODEC.encode(e, "mrt"), null);
        } catch (RejectedRecordException ex) {
            throw new AssertionError("event did not survive the codec: " + ex.getMessage() + "\n" + e, ex);
        }
    }

    /**
     * @param ribLabel first field of RIB lines: {@code TABLE_DUMP}, {@code TABLE_DUMP2} or
     *                 {@code TABLE_DUMP2_AP} (the last one adds the path id field)
     */
    static void format(CanonicalEvent e, String ribLabel, List<String> out) {
        if (e instanceof PeerStateEvent s) {
            String reason = s.reason();
            String old = reason.substring(reason.indexOf(": ") + 2);
            out.add("BGP4MP|" + s.time().getEpochSecond() + "|STATE|" + s.peer() + "|" + s.peerAs() + "|"
                    + (BgpState.fromWire(old).ordinal() + 1) + "|" + (s.state().ordinal() + 1));
        } else if (e instanceof BgpUpdateEvent u) {
            boolean rib = ribLabel != null;
            String head = rib ? ribLabel + "|*|B|" : "BGP4MP|" + u.time().getEpochSecond() + "|";
            for (Nlri w : u.withdraw()) {
                out.add(head + "W|" + u.peer() + "|" + u.peerAs() + "|" + w.prefix());
            }
            for (Nlri n : u.announce()) {
                StringBuilder sb = new StringBuilder(head);
                if (!rib) {
                    sb.append("A|");
                }
                sb.append(u.peer()).append('|').append(u.peerAs()).append('|').append(n.prefix()).append('|');
                if (rib && ribLabel.endsWith("_AP")) {
                    sb.append(n.pathId()).append('|');
                }
                attributes(u.attributes(), sb);
                out.add(sb.toString());
            }
        }
    }

    private static void attributes(BgpAttributes a, StringBuilder sb) {
        List<String> path = new ArrayList<>();
        for (Object seg : a.asPath()) {
            if (seg instanceof List<?> set) {
                List<String> members = new ArrayList<>();
                set.forEach(m -> members.add(String.valueOf(m)));
                path.add("{" + String.join(",", members) + "}");
            } else {
                path.add(String.valueOf(seg));
            }
        }
        String hop = a.nextHop();
        if ("0.0.0.0".equals(hop) || "::".equals(hop)) {
            hop = "255.255.255.255";
        }
        sb.append(String.join(" ", path)).append('|').append(a.origin().toUpperCase()).append('|').append(hop)
                .append('|').append(a.localPref() == null ? 0 : a.localPref()).append('|')
                .append(a.med() == null ? 0 : a.med()).append('|').append(String.join(" ", a.communities()))
                .append('|').append(a.atomicAggregate() ? "AG" : "NAG").append("||");
    }

    /** bgpdump's line with the fields canonical events do not carry blanked (see the class comment). */
    static String normaliseExpected(String line) {
        String[] f = line.split("\\|", -1);
        if (f.length < 3) {
            return line;
        }
        if ("B".equals(f[2])) {
            f[1] = "*";
            f[f.length - 2] = "";
        } else if ("A".equals(f[2])) {
            f[f.length - 2] = "";
        }
        return String.join("|", f);
    }

    static List<String> readExpected(InputStream gz) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(gz),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.add(normaliseExpected(line));
            }
        }
        return out;
    }
}
