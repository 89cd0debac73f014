package io.meshwatch.bgp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshwatch.routing.Afi;

/**
 * Coverage-guided fuzzing (Jazzer) of the BGP wire codec shared by the BMP collector and the MRT
 * reader: UPDATE and OPEN messages. The only failure allowed is {@link BgpWireException}; anything
 * else thrown is a finding.
 *
 * <p>In {@code ./mvnw verify} this replays the seeds and kept findings in
 * {@code src/test/resources/io/meshwatch/bgp/BgpFuzzTestInputs/<method>/} (BGP messages cut out of
 * the BMP captures, see SOURCES.md there); {@code bin/fuzz} fuzzes it for real.
 */
class BgpFuzzTest {

    /**
     * First byte: decode options (bit 0: 2-octet AS numbers, bit 1: ADD-PATH on every family, bit 2:
     * labeled and VPN families, bits 3-4: a TABLE_DUMP_V2 RIB family); then a whole BGP message,
     * header included. An UPDATE is decoded; an OPEN too, so both readers share the corpus.
     */
    @FuzzTest(maxDuration = "10m")
    void update(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int o = data[0] & 0xFF;
        Afi rib = switch ((o >> 3) & 3) {
            case 1 -> Afi.IPV4;
            case 2 -> Afi.IPV6;
            default -> null;
        };
        DecodeOptions options = new DecodeOptions((o & 1) != 0 ? 2 : 4, (o & 2) != 0 ? AddPath.ALL : AddPath.NONE,
                (o & 4) != 0, rib);
        try {
            UpdateDecoder.Message m = UpdateDecoder.message(new Cursor(data, 1, data.length));
            if (m.type() == UpdateDecoder.UPDATE) {
                UpdateDecoder.update(m.body(), options, (issue, message) -> {
                });
            } else if (m.type() == UpdateDecoder.OPEN) {
                OpenMessage.decode(m.body());
            }
        } catch (BgpWireException declared) {
            // a message that does not decode: the caller reports and skips it
        }
    }

    /** A whole OPEN message, header included (as a BMP Peer Up carries two). */
    @FuzzTest(maxDuration = "10m")
    void open(byte[] data) {
        try {
            UpdateDecoder.Message m = UpdateDecoder.message(new Cursor(data, 0, data.length));
            OpenMessage open = OpenMessage.decode(m.body());
            for (int afi = 1; afi <= 2; afi++) {
                open.canSend(afi, 1);
                open.canReceive(afi, 1);
            }
        } catch (BgpWireException declared) {
            // refused with the field named
        }
    }
}
