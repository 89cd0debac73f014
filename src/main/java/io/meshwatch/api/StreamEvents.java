package io.meshwatch.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwatch.alerting.AlertChange;
import io.meshwatch.api.DetectionViews.IncidentResponse;
import io.meshwatch.api.DetectionViews.SignalResponse;
import io.meshwatch.detect.Incident;
import io.meshwatch.detect.Signal;
import io.meshwatch.network.BgpSession;
import io.meshwatch.network.SessionChange;
import io.meshwatch.notify.kafka.AlertEvents;
import io.meshwatch.notify.stream.LiveStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON data of a live-stream event, as {@code GET /api/v1/stream} sends it and the stream relay
 * carries it to the other instances (an event relayed from another instance is already JSON).
 */
public final class StreamEvents {

    private StreamEvents() {
    }

    public static String json(LiveStream.Event e, ObjectMapper json) {
        if (e.payload() instanceof LiveStream.Relayed r) {
            return r.json();
        }
        try {
            return switch (e.type()) {
                case ALERT -> AlertEvents.json((AlertChange) e.payload()).encode();
                case SIGNAL -> json.writeValueAsString(SignalResponse.of((Signal) e.payload()));
                case INCIDENT -> json.writeValueAsString(IncidentResponse.of((Incident) e.payload()));
                case SESSION -> json.writeValueAsString(session((SessionChange) e.payload()));
            };
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write a " + e.type().wire() + " event", ex);
        }
    }

    private static Map<String, Object> session(SessionChange c) {
        BgpSession after = c.after();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("router", after.router());
        m.put("vrf", after.vrf());
        m.put("peer", after.peer());
        m.put("peerAs", after.peerAs());
        m.put("from", c.before() == null ? null : c.before().state().name().toLowerCase(Locale.ROOT));
        m.put("to", after.state().name().toLowerCase(Locale.ROOT));
        m.put("since", after.since());
        m.put("flaps", after.flaps());
        return m;
    }
}
