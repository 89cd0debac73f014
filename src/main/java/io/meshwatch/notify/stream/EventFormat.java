package io.meshwatch.notify.stream;

/**
 * How a live-stream event is written on the wire ({@code GET /api/v1/stream}'s JSON), for those
 * that pass events on without serving them: the cluster's stream relay. The API provides it, so
 * that nothing else depends on the API's view records.
 */
public interface EventFormat {

    /** The event as the stream's JSON. */
    String json(LiveStream.Event event);
}
