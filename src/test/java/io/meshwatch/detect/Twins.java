package io.meshwatch.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.meshwatch.inventory.Inventory;
import io.meshwatch.testing.ManualClock;
import io.meshwatch.testing.RecordingListener;
import java.time.Instant;
import java.util.List;

/**
 * The checkpoint property, as a tool for tests: an engine checkpointed at any moment, its state
 * encoded and decoded, and restored into a fresh engine on a clock of its own, emits exactly what
 * the original emits from then on and shows the same read models, given the same inputs and ticks.
 */
final class Twins {

    static final EngineStateCodec CODEC = new EngineStateCodec();

    /** An engine on a clock of its own, and everything it emitted, in order. */
    static final class Twin extends RecordingListener {

        final ManualClock clock;
        DetectionEngine engine;

        Twin(Instant now) {
            clock = new ManualClock(now);
        }

        static Twin fresh(DetectionSettings settings, Instant now) {
            Twin t = new Twin(now);
            t.engine = new DetectionEngine(t.clock, settings, t);
            return t;
        }

        /** Runs one call at the clock instant. */
        void step(Script.Step s) {
            clock.set(s.clock());
            Script.apply(engine, s.input());
        }
    }

    private Twins() {
    }

    /**
     * Checkpoints {@code from}, encodes and decodes the state, and restores it into a fresh engine on
     * a copy of {@code from}'s clock. Asserts that the codec gives the state back, that restoring
     * emits nothing, that the restored engine's own checkpoint is the same state, and that the read
     * models are the same.
     */
    static Twin restored(Twin from, DetectionSettings settings, Inventory inventory, String where) {
        EngineState state = from.engine.checkpoint();
        EngineState decoded = CODEC.decode(CODEC.encode(state));
        assertSameState(state, decoded, where + ": the codec gives back the state it was given");
        Twin to = new Twin(from.clock.instant());
        to.engine = DetectionEngine.restore(to.clock, settings, to, inventory, decoded);
        assertEquals(List.of(), to.out, where + ": restoring emits nothing");
        assertSameState(state, to.engine.checkpoint(), where + ": the restored engine's checkpoint is the one it came from");
        assertSameReadModels(from.engine, to.engine, where + ", right after the restore");
        return to;
    }

    static void assertSameReadModels(DetectionEngine expected, DetectionEngine actual, String where) {
        assertEquals(expected.tunnelGroups(), actual.tunnelGroups(), where + ": tunnelGroups()");
        assertEquals(expected.circuits(), actual.circuits(), where + ": circuits()");
        assertEquals(expected.sessions(), actual.sessions(), where + ": sessions()");
        assertEquals(expected.firing(), actual.firing(), where + ": firing()");
        assertEquals(expected.incidents(), actual.incidents(), where + ": incidents()");
        assertEquals(expected.unmatchedEvents(), actual.unmatchedEvents(), where + ": unmatchedEvents()");
        assertEquals(expected.droppedPrefixLosses(), actual.droppedPrefixLosses(), where + ": droppedPrefixLosses()");
        assertEquals(expected.nextDeadline(), actual.nextDeadline(), where + ": nextDeadline()");
    }

    static void assertSameState(EngineState expected, EngineState actual, String where) {
        io.meshwatch.testing.EngineStates.assertSameState(expected, actual, where);
    }

    /** Asserts two emission sequences equal, naming the first difference. */
    static void assertSameOutput(List<Object> expected, List<Object> actual, String where) {
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                fail(where + ": emission " + i + " differs\n  original: " + expected.get(i) + "\n  restored: "
                        + actual.get(i));
            }
        }
        if (expected.size() != actual.size()) {
            fail(where + ": the original emitted " + expected.size() + ", the restored engine " + actual.size()
                    + "; first extra: " + (expected.size() > n ? expected.get(n) : actual.get(n)));
        }
    }

    /** Plays the whole script into a fresh engine, no checkpoint taken. */
    static Twin play(Script script, DetectionSettings settings) {
        Twin t = Twin.fresh(settings, Scenario.T0);
        script.steps.forEach(t::step);
        return t;
    }

    /**
     * The property at every cut of a script: for each step, the engine is checkpointed before it and
     * restored into a twin, and both are played the rest of the script, step by step. Also checks that
     * taking a checkpoint changes nothing (the original emits what an engine never checkpointed does).
     */
    static void everyCut(Script script, DetectionSettings settings) {
        Twin reference = play(script, settings);
        for (int cut = 0; cut <= script.steps.size(); cut++) {
            Twin original = cutAt(script, settings, cut);
            assertSameOutput(reference.out, original.out, script + ", cut before step " + cut
                    + ": taking a checkpoint changes the original");
        }
    }

    /** Checks one cut; returns the original engine, played to the end. */
    static Twin cutAt(Script script, DetectionSettings settings, int cut) {
        Twin original = Twin.fresh(settings, Scenario.T0);
        Inventory inventory = Inventory.empty();
        List<Script.Step> steps = script.steps;
        for (int i = 0; i < cut; i++) {
            original.step(steps.get(i));
            if (steps.get(i).input() instanceof Script.NewInventory n) {
                inventory = n.inventory();
            }
        }
        String at = script + ", cut before step " + cut + (cut < steps.size() ? " (" + steps.get(cut) + ")" : " (end)");
        Twin twin = restored(original, settings, inventory, at);
        int mark = original.out.size();
        for (int i = cut; i < steps.size(); i++) {
            original.step(steps.get(i));
            twin.step(steps.get(i));
            String where = at + ", after step " + i + " (" + steps.get(i) + ")";
            assertSameOutput(original.out.subList(mark, original.out.size()), twin.out, where);
            assertEquals(original.engine.nextDeadline(), twin.engine.nextDeadline(), where + ": nextDeadline()");
        }
        assertSameReadModels(original.engine, twin.engine, at + ", at the end");
        assertSameState(original.engine.checkpoint(), twin.engine.checkpoint(), at + ": the states at the end");
        return original;
    }
}
