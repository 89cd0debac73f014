package io.meshwatch.api;

import io.meshwatch.alerting.Alert;
import io.meshwatch.alerting.AlertState;
import io.meshwatch.inventory.Severity;
import io.meshwatch.notify.Outbox;
import io.meshwatch.notify.Receiver;
import io.meshwatch.notify.Receivers;
import io.meshwatch.notify.webhook.WebhookSender;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The configured webhook receivers, their deliveries (attempts, failures) and a test delivery. Admin only. */
@Path("/api/v1/receivers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "receivers", description = "Webhook receivers and notification deliveries")
public class ReceiverResource {

    /** A receiver as configured (the secret is never shown, only whether there is one). */
    public record ReceiverResponse(String name, String url, boolean signed, String minSeverity, Map<String, String> labels) {
        static ReceiverResponse of(Receiver r) {
            return new ReceiverResponse(r.name(), r.url().toString(), r.secret().isPresent(),
                    r.minSeverity().name().toLowerCase(Locale.ROOT), r.labels());
        }
    }

    private final Receivers receivers;
    private final Outbox outbox;
    private final WebhookSender sender;
    private final Clock clock;

    public ReceiverResource(Receivers receivers, Outbox outbox, WebhookSender sender, Clock clock) {
        this.receivers = receivers;
        this.outbox = outbox;
        this.sender = sender;
        this.clock = clock;
    }

    @GET
    @Operation(summary = "The configured webhook receivers")
    public List<ReceiverResponse> list() {
        return receivers.all().stream().map(ReceiverResponse::of).toList();
    }

    @GET
    @Path("/{name}/deliveries")
    @Operation(summary = "A receiver's notifications, newest first: status (pending, delivered, failed), attempts, "
            + "last HTTP status and error")
    public Uni<List<Outbox.Delivery>> deliveries(@PathParam("name") String name, @QueryParam("status") String status,
            @QueryParam("fingerprint") String fingerprint,
            @QueryParam("limit") @DefaultValue("50") int limit, @QueryParam("offset") @DefaultValue("0") int offset) {
        known(name);
        Callers.checkPage(limit, offset);
        if (status != null && !List.of("pending", "delivered", "failed").contains(status)) {
            throw ApiError.badRequest("status must be pending, delivered or failed, not '" + status + "'");
        }
        return outbox.deliveries(name, status, fingerprint, limit, offset);
    }

    @POST
    @Path("/{name}/test")
    @Operation(summary = "Send a test notification (alertname MeshwatchTest) through the outbox; 202 with the "
            + "delivery's id, whose outcome GET .../deliveries shows")
    public Uni<Response> test(@PathParam("name") String name) {
        Receiver r = known(name);
        Instant now = clock.instant();
        TreeMap<String, String> labels = new TreeMap<>(Map.of("receiver", name));
        Alert sample = new Alert("test-" + name, "MeshwatchTest", AlertState.FIRING, Severity.INFO, labels, new TreeMap<>(),
                "Test notification from Meshwatch", null, false, null, now, null, now, now, null, null, null, null, 1, now);
        return outbox.enqueueTest(r, sample, now).map(id -> {
            sender.wake();
            return Response.accepted(Map.of("delivery", id, "receiver", name)).build();
        });
    }

    private Receiver known(String name) {
        return receivers.named(name).orElseThrow(() -> ApiError.notFound("receiver '" + name + "' is not configured; "
                + "GET /api/v1/receivers lists them (meshwatch.notify.webhooks.<name>.url)"));
    }
}
