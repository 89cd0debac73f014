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
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/stream}: server-sent events of alert changes, signals, incidents and BGP session
 * state changes as they happen, each a named event ({@code alert}, {@code signal}, {@code incident},
 * {@code session}) with JSON data and a sequence number as its id, and a comment line every
 * {@value #HEARTBEAT_SECONDS} s (and one at once) so proxies keep the connection open. Viewer role.
 */
@Path("/api/v1/stream")
@Tag(name = "stream", description = "Live alert and network changes (server-sent events)")
public class StreamResource {

    static final int HEARTBEAT_SECONDS = 15;

    private final LiveStream stream;
    private final ObjectMapper json;

    public StreamResource(LiveStream stream, ObjectMapper json) {
        this.stream = stream;
        this.json = json;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Server-sent events: alert, signal, incident, session (types=alert,incident to choose); "
            + "comment heartbeats every 15 s")
    public Multi<OutboundSseEvent> stream(@QueryParam("types") String types, @Context Sse sse) {
        Set<LiveStream.Type> wanted = types(types);
        Multi<OutboundSseEvent> events = stream.subscribe()
                .filter(e -> wanted.contains(e.type()))
                .map(e -> sse.newEventBuilder().name(e.type().wire()).id(Long.toString(e.seq()))
                        .mediaType(MediaType.TEXT_PLAIN_TYPE).data(String.class, data(e)).build());
        Multi<OutboundSseEvent> heartbeats = Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1))
                .every(Duration.ofSeconds(HEARTBEAT_SECONDS))
                .map(n -> sse.newEventBuilder().comment("heartbeat " + n).build());
        return Multi.createBy().merging().streams(heartbeats, events);
    }

    private static Set<LiveStream.Type> types(String types) {
        if (types == null || types.isBlank()) {
            return EnumSet.allOf(LiveStream.Type.class);
        }
        Set<LiveStream.Type> out = EnumSet.noneOf(LiveStream.Type.class);
        for (String t : types.split(",")) {
            try {
                out.add(LiveStream.Type.valueOf(t.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("types must be a comma-separated list of alert, signal, incident, session; '"
                        + t.strip() + "' is none of them");
            }
        }
        return out;
    }

    private String data(LiveStream.Event e) {
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
