package io.meshwatch.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.event.EventCodec;
import io.meshwatch.facts.FactCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Makes the plain {@link EventCodec} and {@link FactCodec} injectable, on the application's Jackson mapper. */
@ApplicationScoped
public class CodecProducer {

    @Produces
    @ApplicationScoped
    EventCodec codec(ObjectMapper mapper) {
        return new EventCodec(mapper);
    }

    @Produces
    @ApplicationScoped
    FactCodec facts(ObjectMapper mapper) {
        return new FactCodec(mapper);
    }
}
