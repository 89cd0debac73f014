package io.meshwatch.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The scenario runs of this simulator: their timelines and how far each has got. Registering a run
 * refuses one whose footprint overlaps a run that has not resolved yet (two faults on one circuit
 * would undo each other). Keeps the latest {@value #KEEP} runs.
 *
 * <p>Threading: the API registers and reads from request threads, the simulator marks steps done
 * from its own; every method is synchronized and the views handed out are immutable.
 */
public final class ScenarioRuns {

    static final int KEEP = 100;

    /** Where a run is. */
    public enum State { SCHEDULED, RUNNING, RESOLVED }

    /** One step of a run: when (and how long after the start, e.g. {@code 6s}), what, and whether it has happened. */
    public record StepView(Instant at, String offset, String what, boolean done) {
    }

    /** A run as the API shows it. */
    public record RunView(String id, String scenario, String target, State state, Instant start, Instant end,
                          Duration duration, List<StepView> steps, List<String> notes) {
    }

    /** Two runs would act on the same circuit, tunnel, session or router. */
    public static final class ConflictException extends RuntimeException {
        public ConflictException(String message) {
            super(message);
        }
    }

    private final Map<String, RunView> runs = new LinkedHashMap<>();
    private final Map<String, Set<String>> footprints = new LinkedHashMap<>();

    /** Adds a run, unless it overlaps one that is still going. */
    public synchronized RunView register(ScenarioPlan plan) {
        for (Map.Entry<String, Set<String>> e : footprints.entrySet()) {
            RunView other = runs.get(e.getKey());
            if (other.state() == State.RESOLVED) {
                continue;
            }
            Set<String> common = new HashSet<>(e.getValue());
            common.retainAll(plan.footprint());
            if (!common.isEmpty()) {
                throw new ConflictException(other.scenario() + " run " + other.id() + " on " + other.target()
                        + " also acts on " + String.join(", ", common.stream().sorted().toList()) + " until "
                        + other.end() + "; wait for it (GET /api/v1/sim/scenarios/runs/" + other.id() + ") or pick "
                        + "another target");
            }
        }
        List<StepView> steps = new ArrayList<>();
        for (ScenarioPlan.Step s : plan.steps()) {
            steps.add(new StepView(plan.start().plus(s.offset()), TimelineText.fmt(s.offset()), s.what(), false));
        }
        RunView view = new RunView(plan.id(), plan.scenario().wire(), plan.target(), State.SCHEDULED, plan.start(),
                plan.end(), plan.duration(), List.copyOf(steps), plan.notes());
        runs.put(plan.id(), view);
        footprints.put(plan.id(), plan.footprint());
        while (runs.size() > KEEP) {
            String oldest = runs.keySet().iterator().next();
            runs.remove(oldest);
            footprints.remove(oldest);
        }
        return view;
    }

    /** Marks step {@code index} of run {@code id} done (the simulator, after doing it). */
    public synchronized void stepDone(String id, int index) {
        RunView r = runs.get(id);
        if (r == null) {
            return;
        }
        List<StepView> steps = new ArrayList<>(r.steps());
        StepView s = steps.get(index);
        steps.set(index, new StepView(s.at(), s.offset(), s.what(), true));
        boolean all = steps.stream().allMatch(StepView::done);
        runs.put(id, new RunView(r.id(), r.scenario(), r.target(), all ? State.RESOLVED : State.RUNNING, r.start(),
                r.end(), r.duration(), List.copyOf(steps), r.notes()));
    }

    public synchronized Optional<RunView> get(String id) {
        return Optional.ofNullable(runs.get(id));
    }

    /** Every kept run, newest first. */
    public synchronized List<RunView> all() {
        List<RunView> out = new ArrayList<>(runs.values());
        Collections.reverse(out);
        return out;
    }
}
