package io.meshwatch.api;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Locale;
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
                        .mediaType(MediaType.TEXT_PLAIN_TYPE).data(String.class, StreamEvents.json(e, json)).build());
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
}
