package io.meshwatch.api;

import io.meshwatch.alerting.Alert;
import io.meshwatch.alerting.AlertState;
import io.meshwatch.inventory.Severity;
import io.meshwatch.notify.Outbox;
import io.meshwatch.notify.Receiver;
import io.meshwatch.notify.Receivers;
import io.meshwatch.notify.Attempt;
import io.meshwatch.notify.HttpPost;
import io.meshwatch.notify.OutboxSender;
import io.meshwatch.notify.alertmanager.AlertmanagerPayload;
import io.meshwatch.notify.kafka.AlertEvents;
import io.meshwatch.notify.webhook.WebhookPayload;
import io.meshwatch.notify.webhook.WebhookSink;
import io.meshwatch.platform.MeshwatchConfig;
import io.vertx.core.Vertx;
import jakarta.ws.rs.Consumes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Optional;
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

/**
 * The configured receivers (webhooks, and the built-in Alertmanager push and Kafka topic when on),
 * their deliveries (attempts, failures), a test delivery to a configured webhook, and an ad-hoc test
 * of a webhook URL before it is configured. Admin only.
 */
@Path("/api/v1/receivers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "receivers", description = "Webhook receivers and notification deliveries")
public class ReceiverResource {

    /**
     * A receiver as configured (the secret is never shown, only whether there is one).
     *
     * @param kind webhook, alertmanager or kafka
     * @param url  where it sends: the webhook or Alertmanager URL, or {@code kafka:<topic>}
     */
    public record ReceiverResponse(String name, String kind, String url, boolean signed, String minSeverity,
                                   Map<String, String> labels) {
        static ReceiverResponse of(Receiver r) {
            return new ReceiverResponse(r.name(), "webhook", r.url().toString(), r.secret().isPresent(),
                    r.minSeverity().name().toLowerCase(Locale.ROOT), r.labels());
        }
    }

    /** An ad-hoc webhook to test before configuring it. */
    public record TestRequest(String url, String secret) {
    }

    /** What the ad-hoc test came to: delivered (2xx) or not, the HTTP status, and what went wrong. */
    public record TestResult(String url, boolean delivered, Integer status, String error) {
    }

    private final Receivers receivers;
    private final Outbox outbox;
    private final OutboxSender sender;
    private final Clock clock;
    private final MeshwatchConfig config;
    private final HttpPost http;

    public ReceiverResource(Receivers receivers, Outbox outbox, OutboxSender sender, Clock clock, MeshwatchConfig config,
                            Vertx vertx) {
        this.receivers = receivers;
        this.outbox = outbox;
        this.sender = sender;
        this.clock = clock;
        this.config = config;
        this.http = new HttpPost(vertx, config.notifications().timeout());
    }

    @GET
    @Operation(summary = "The receivers: configured webhooks, then the Alertmanager push and the Kafka topic when on")
    public List<ReceiverResponse> list() {
        List<ReceiverResponse> out = new ArrayList<>(receivers.all().stream().map(ReceiverResponse::of).toList());
        receivers.alertmanager().ifPresent(u -> out.add(new ReceiverResponse(AlertmanagerPayload.RECEIVER,
                "alertmanager", u.toString(), false, "info", Map.of())));
        if (config.notifications().kafka().enabled()) {
            out.add(new ReceiverResponse(AlertEvents.RECEIVER, "kafka", "kafka:" + config.topics().alerts(), false,
                    "info", Map.of()));
        }
        return out;
    }

    @POST
    @Path("/test")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Test a webhook before configuring it: POST a MeshwatchTest notification to {url} (signed "
            + "with {secret} if given) now, and answer what came of it; 400 for a bad URL")
    public Uni<TestResult> testUrl(TestRequest req) {
        if (req == null || req.url() == null || req.url().isBlank()) {
            throw ApiError.badRequest("send {\"url\": \"http(s)://...\", \"secret\": \"...\"} (secret optional)");
        }
        Receiver r;
        try {
            r = Receivers.of("ad-hoc", req.url(), Optional.ofNullable(req.secret()), "info", Map.of());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        Instant now = clock.instant();
        byte[] body = WebhookPayload.of(r.name(), sample(r.name(), now), false, config.notifications().externalUrl())
                .getBytes(StandardCharsets.UTF_8);
        return WebhookSink.post(http, r, body, "test-ad-hoc-" + now.toEpochMilli()).map(a ->
                new TestResult(r.url().toString(), a.outcome() == Attempt.Outcome.DELIVERED, a.status(), a.error()));
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
        Receiver r = receivers.named(name).orElseThrow(() -> receivers.builtIn(name)
                ? ApiError.badRequest("test deliveries are for webhook receivers; '" + name + "' is built in")
                : notConfigured(name));
        Instant now = clock.instant();
        String payload = WebhookPayload.of(r.name(), sample(name, now), false, config.notifications().externalUrl());
        return outbox.enqueueTest(r.name(), payload, now).map(id -> {
            sender.wake();
            return Response.accepted(Map.of("delivery", id, "receiver", name)).build();
        });
    }

    private static Alert sample(String name, Instant now) {
        TreeMap<String, String> labels = new TreeMap<>(Map.of("receiver", name));
        return new Alert("test-" + name, "MeshwatchTest", AlertState.FIRING, Severity.INFO, labels, new TreeMap<>(),
                "Test notification from Meshwatch", null, false, null, now, null, now, now, null, null, null, null, 1, now);
    }

    private void known(String name) {
        if (list().stream().noneMatch(r -> r.name().equals(name))) {
            throw notConfigured(name);
        }
    }

    private static RuntimeException notConfigured(String name) {
        return ApiError.notFound("receiver '" + name + "' is not configured; "
                + "GET /api/v1/receivers lists them (meshwatch.notify.webhooks.<name>.url)");
    }
}
