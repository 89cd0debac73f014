package io.meshwatch.sim;

import io.meshwatch.detect.DetectionEngine;
import io.meshwatch.network.NetworkState;
import io.meshwatch.network.SessionChange;
import io.meshwatch.rib.RibService;
import io.meshwatch.rib.RouteChange;
import io.meshwatch.shard.ShardStage;
import java.util.function.Consumer;

/**
 * Test wiring, as the service's own path in local mode: the shard stage's step (session changes,
 * then the route changes they cause, then telemetry) goes to the detection engine the way
 * {@code DetectionFeed} hands it to {@code DetectionService}.
 */
final class EngineFeed {

    private EngineFeed() {
    }

    /** A shard stage over the given state, every best-path change of interest. */
    static ShardStage stage(NetworkState sessions, RibService rib) {
        return new ShardStage(sessions, rib, (router, delta) -> true);
    }

    /** Publishes a step to one engine. */
    static void publish(ShardStage.Step step, DetectionEngine engine) {
        publish(step, call -> call.accept(engine));
    }

    /** Publishes a step through {@code toAll}, which makes each call on every engine it holds. */
    static void publish(ShardStage.Step step, Consumer<Consumer<DetectionEngine>> toAll) {
        for (SessionChange c : step.sessions()) {
            if (c.stateChanged()) {
                toAll.accept(e -> e.session(c));
            }
        }
        for (RouteChange r : step.routes()) {
            toAll.accept(e -> e.routeDeltas(r.router(), r.deltas(), r.eventTime()));
        }
        for (var t : step.telemetry()) {
            toAll.accept(e -> e.event(t));
        }
    }
}
