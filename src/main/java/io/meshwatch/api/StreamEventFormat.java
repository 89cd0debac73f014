package io.meshwatch.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.notify.stream.EventFormat;
import io.meshwatch.notify.stream.LiveStream;
import jakarta.enterprise.context.ApplicationScoped;

/** The live stream's JSON ({@link StreamEvents}) for those that relay events between instances. */
@ApplicationScoped
public class StreamEventFormat implements EventFormat {

    private final ObjectMapper json;

    public StreamEventFormat(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public String json(LiveStream.Event event) {
        return StreamEvents.json(event, json);
    }
}
