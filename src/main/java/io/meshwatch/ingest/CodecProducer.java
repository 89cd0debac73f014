package io.meshwatch.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.event.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Makes the plain {@link EventCodec} injectable, on the application's Jackson mapper. */
@ApplicationScoped
public class CodecProducer {

    @Produces
    @ApplicationScoped
    EventCodec codec(ObjectMapper mapper) {
        return new EventCodec(mapper);
    }
}
