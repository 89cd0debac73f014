package io.meshwatch.ingest;

import io.meshwatch.event.CanonicalEvent;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * A consumer of decoded events: a capability's adapter (network state, route table, ...). Called
 * once per batch with the batch's valid events in partition order, on the consumer's thread.
 * The batch is acknowledged only after the returned Uni completes.
 */
public interface EventSink {

    Uni<Void> accept(List<CanonicalEvent> events);
}
