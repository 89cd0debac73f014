package io.meshwatch.bmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshwatch.bgp.UpdateMessage;
import io.meshwatch.bmp.BmpMessage.PeerHeader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The lab's own BMP parser output ({@code tools/bmp_parse.py -v}: one line per message with its
 * offset, per-peer header and decoded UPDATE) as a reference for our decoder.
 */
final class LabParsed {

    /** {@code @ offset len= n Type peer=... AS.. type=.. flags=0x.. ts=... +[..] -[..] aspath=[..]}. */
    private static final Pattern LINE = Pattern.compile(
            "@\\s*(\\d+) len=\\s*(\\d+) (\\w+)\\s+(?:peer=(\\S+) AS(\\d+) type=\\S+ flags=0x(\\w\\w) ts=(\\S+))?(.*)");

    private LabParsed() {
    }

    /**
     * Asserts that {@code stream} decodes message by message as {@code parsed} says: offsets, types,
     * per-peer headers, prefixes announced and withdrawn, AS paths, End-of-RIB.
     *
     * @return messages, prefixes announced, prefixes withdrawn, End-of-RIB markers
     */
    static List<Integer> assertDecodesAs(byte[] stream, byte[] parsed) {
        BmpCaptures.Decoded d = BmpCaptures.decode(stream, 97);
        assertNull(d.fatal());
        assertEquals(List.of(), d.failures());
        List<String> ref = new String(parsed, StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("@")).toList();
        assertEquals(ref.size(), d.messages().size());
        int announced = 0;
        int withdrawn = 0;
        int eor = 0;
        for (int i = 0; i < ref.size(); i++) {
            Matcher m = LINE.matcher(ref.get(i));
            assertTrue(m.matches(), ref.get(i));
            BmpMessage msg = d.messages().get(i);
            assertEquals(Long.parseLong(m.group(1)), msg.offset());
            assertEquals(m.group(3), labName(msg), "type at " + m.group(1));
            PeerHeader h = header(msg);
            if (h != null) {
                assertEquals(m.group(4), h.peer());
                assertEquals(Long.parseLong(m.group(5)), h.peerAs());
                assertEquals(Integer.parseInt(m.group(6), 16), h.flags());
                assertEquals(m.group(7), BmpMatchesPmacctTest.time(h.time()));
            }
            if (msg instanceof BmpMessage.RouteMonitoring rm) {
                String rest = m.group(8);
                UpdateMessage u = rm.update();
                if (rest.contains("EoR")) {
                    assertNotNull(u.endOfRib(), ref.get(i));
                    eor++;
                    continue;
                }
                List<String> plus = u.announces().stream().flatMap(a -> a.nlri().stream())
                        .map(n -> n.prefix().toString()).toList();
                List<String> minus = u.withdrawals().stream().flatMap(w -> w.nlri().stream())
                        .map(n -> n.prefix().toString()).toList();
                assertTrue(rest.contains("+" + pyList(plus) + " -" + pyList(minus)), ref.get(i) + " vs " + plus + minus);
                if (!u.announces().isEmpty()) {
                    String path = u.announces().get(0).attributes().asPath().stream().map(String::valueOf)
                            .collect(Collectors.joining(", ", "[", "]"));
                    // the lab parser prints "None" when the UPDATE has no AS_PATH attribute
                    assertTrue(rest.contains("aspath=" + path) || path.equals("[]") && rest.contains("aspath=None"),
                            ref.get(i));
                }
                announced += plus.size();
                withdrawn += minus.size();
            }
        }
        return List.of(ref.size(), announced, withdrawn, eor);
    }

    private static String pyList(List<String> l) {
        return l.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    private static String labName(BmpMessage m) {
        return switch (m.typeName()) {
            case "route_monitoring" -> "RouteMonitoring";
            case "statistics_report" -> "StatisticsReport";
            case "peer_up" -> "PeerUp";
            case "peer_down" -> "PeerDown";
            case "initiation" -> "Initiation";
            default -> m.typeName();
        };
    }

    static PeerHeader header(BmpMessage m) {
        if (m instanceof BmpMessage.RouteMonitoring r) {
            return r.peer();
        } else if (m instanceof BmpMessage.PeerUp u) {
            return u.peer();
        } else if (m instanceof BmpMessage.PeerDown d) {
            return d.peer();
        } else if (m instanceof BmpMessage.StatisticsReport s) {
            return s.peer();
        }
        return null;
    }
}
