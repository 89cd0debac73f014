package io.meshwatch.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A scenario resolved against the network: when each step happens and what it does. Immutable.
 *
 * @param duration  how long the fault lasts (the request's, or raised so the scenario can show what
 *                  it is for; then {@code notes} says why)
 * @param end       when the last step happens (the network is back to normal)
 * @param footprint the circuits, tunnels, sessions and routers it acts on; two runs whose
 *                  footprints overlap cannot run at once
 */
public record ScenarioPlan(String id, Scenario scenario, String target, Instant start, Duration duration, Instant end,
                           List<Step> steps, Set<String> footprint, List<String> notes) {

    /** One step: at {@code start + offset}, {@code what} happens (in words), by doing {@code action}. */
    public record Step(Duration offset, String what, Action action) {
    }

    public ScenarioPlan {
        steps = List.copyOf(steps);
        footprint = Set.copyOf(footprint);
        notes = List.copyOf(notes);
    }
}
