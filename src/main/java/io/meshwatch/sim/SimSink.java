package io.meshwatch.sim;

import io.meshwatch.event.CanonicalEvent;

/**
 * Where the simulator's events go: Kafka in the service ({@link KafkaSimSink}), a list in tests.
 * Called on the simulator's thread only, in the order events happen; an implementation may block
 * (back-pressure) but must keep that order per router.
 */
public interface SimSink {

    void emit(CanonicalEvent event);
}
