package io.meshwatch.sim;

import io.meshwatch.detect.DetectionEngine;
import io.meshwatch.rib.RouteDeltaListener;
import io.meshwatch.routing.RouteDelta;
import java.time.Instant;
import java.util.List;

/** Test wiring: every best-path change of a route table goes to the detection engine, as the service's does. */
final class EngineFeed {

    private EngineFeed() {
    }

    static RouteDeltaListener deltasTo(DetectionEngine engine) {
        return new RouteDeltaListener() {
            @Override
            public boolean interested(String router, RouteDelta delta) {
                return true;
            }

            @Override
            public void deltas(String router, Instant eventTime, List<RouteDelta> deltas) {
                engine.routeDeltas(router, deltas, eventTime);
            }
        };
    }
}
