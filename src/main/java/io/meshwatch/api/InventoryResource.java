package io.meshwatch.api;

import io.meshwatch.inventory.ActiveInventory;
import io.meshwatch.inventory.DocumentFormat;
import io.meshwatch.inventory.Inventory;
import io.meshwatch.inventory.InventoryReader;
import io.meshwatch.inventory.InventoryRevision;
import io.meshwatch.inventory.InventoryService;
import io.meshwatch.inventory.InventoryWriter;
import io.meshwatch.inventory.InvalidInventoryException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The network inventory: read it, replace it. The body is the inventory document itself (the
 * format of {@code docs/inventory.md}), so what GET returns can be edited and PUT back; which
 * revision it is travels in {@code Meshwatch-Inventory-*} response headers.
 */
@Path("/api/v1/inventory")
@Tag(name = "inventory", description = "The routers, circuits, tunnel groups and watched prefixes Meshwatch knows")
public class InventoryResource {

    static final String YAML = "application/yaml";
    static final List<MediaType> YAML_TYPES = List.of(MediaType.valueOf(YAML), MediaType.valueOf("application/x-yaml"),
            MediaType.valueOf("text/yaml"), MediaType.valueOf("text/x-yaml"));

    /** Response headers describing the revision in force. */
    static final String VERSION = "Meshwatch-Inventory-Version";
    static final String SOURCE = "Meshwatch-Inventory-Source";
    static final String LOCATION = "Meshwatch-Inventory-File";
    static final String UPDATED_AT = "Meshwatch-Inventory-Updated-At";
    static final String UPDATED_BY = "Meshwatch-Inventory-Updated-By";
    static final String SHA256 = "Meshwatch-Inventory-Sha256";

    private static final String EXAMPLE = """
            version: 1
            routers:
              - { id: cx-ash, site: equinix-dc2-ashburn, asn: 65010, role: cloud-exchange }
              - { id: tr-use1, region: us-east-1, asn: 65001, role: transit }
            circuits:
              - id: dx-ash-use1
                kind: direct-connect
                a: { router: cx-ash, interface: eth1 }
                z: { router: tr-use1, interface: eth1 }
                sessions: [ { router: cx-ash, peer: 169.254.10.2 } ]
            prefixes:
              - { prefix: 10.1.0.0/16, name: AWS us-east-1 VPCs, severity: major }
            """;

    private final InventoryService inventory;
    private final EditAuthorisation authorisation;

    public InventoryResource(InventoryService inventory, EditAuthorisation authorisation) {
        this.inventory = inventory;
        this.authorisation = authorisation;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, YAML, "application/x-yaml", "text/yaml"})
    @Operation(summary = "The inventory in force", description = "JSON by default, YAML with Accept: application/yaml; "
            + "field names as in the YAML document (kebab-case), every default filled in. The revision is in the "
            + "Meshwatch-Inventory-* headers; version 0 with source none is the empty inventory of a service with "
            + "no file and nothing stored.")
    @APIResponse(responseCode = "200", description = "The inventory document (docs/inventory.md)",
            headers = {
                @Header(name = VERSION, description = "revision number, 0 when nothing is stored"),
                @Header(name = SOURCE, description = "file, api or none"),
                @Header(name = LOCATION, description = "the file it was seeded from (source file)"),
                @Header(name = UPDATED_AT, description = "when it was stored (ISO-8601)"),
                @Header(name = UPDATED_BY, description = "who stored it"),
                @Header(name = SHA256, description = "SHA-256 of the document as it was stored")},
            content = {
                @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = org.eclipse.microprofile
                        .openapi.annotations.enums.SchemaType.OBJECT, description = "the inventory document")),
                @Content(mediaType = YAML, examples = @ExampleObject(name = "demo", value = EXAMPLE))})
    public Response get(@Context HttpHeaders headers) {
        return answer(inventory.active(), negotiate(headers.getAcceptableMediaTypes(), MediaType.APPLICATION_JSON_TYPE));
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, YAML, "application/x-yaml", "text/yaml"})
    @Operation(summary = "Replace the inventory", description = "The whole inventory, as YAML (Content-Type: "
            + "application/yaml) or JSON (application/json). It is checked in full: a refused document lists every "
            + "problem with where it is, and changes nothing. An accepted one is stored as the next revision and "
            + "takes effect at once on this instance (other instances within meshwatch.inventory.refresh-interval); "
            + "it stays in force across restarts until the configured inventory file changes. The answer is the "
            + "stored inventory, in the body's format unless Accept asks for the other.")
    @RequestBody(required = true, description = "the inventory document (docs/inventory.md)", content = {
        @Content(mediaType = YAML, examples = @ExampleObject(name = "small", value = EXAMPLE)),
        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = org.eclipse.microprofile
                .openapi.annotations.enums.SchemaType.OBJECT, description = "the inventory document"))})
    @APIResponse(responseCode = "200", description = "Stored and in force; the body is the stored inventory, the "
            + "Meshwatch-Inventory-* headers its new revision")
    @APIResponse(responseCode = "400", description = "Not YAML or JSON at all (ApiValidationError with the line and column)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiValidationError.class)))
    @APIResponse(responseCode = "415", description = "Content-Type is neither YAML nor JSON",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "422", description = "Not a valid inventory: every problem, each with its place",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiValidationError.class)))
    public Response put(String body, @Context HttpHeaders headers, @Context SecurityContext security,
            @Context HttpServerRequest request) {
        String who = authorisation.authorise("replace the inventory", security,
                request.remoteAddress() == null ? null : request.remoteAddress().hostAddress());
        MediaType type = bodyType(headers.getMediaType());
        DocumentFormat format = type.isCompatible(MediaType.APPLICATION_JSON_TYPE) ? DocumentFormat.JSON
                : DocumentFormat.YAML;
        if (body == null || body.isBlank()) {
            throw ApiValidationError.malformed(List.of("(document): the body is empty; send the whole inventory"));
        }
        Inventory parsed;
        try {
            parsed = InventoryReader.read(body, format);
        } catch (InvalidInventoryException e) {
            throw e.malformed() ? ApiValidationError.malformed(e.problems()) : ApiValidationError.invalid(e.problems());
        }
        ActiveInventory stored = inventory.replace(parsed, body, format, who);
        return answer(stored, negotiate(headers.getAcceptableMediaTypes(),
                format == DocumentFormat.JSON ? MediaType.APPLICATION_JSON_TYPE : YAML_TYPES.get(0)));
    }

    /** The body's type, or 415. */
    private static MediaType bodyType(MediaType type) {
        if (type != null && type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            return MediaType.APPLICATION_JSON_TYPE;
        }
        if (type != null && YAML_TYPES.stream().anyMatch(y -> y.isCompatible(type)) && !type.isWildcardType()
                && !type.isWildcardSubtype()) {
            return type;
        }
        throw ApiError.of(Response.Status.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                (type == null ? "no Content-Type" : "Content-Type " + type.getType() + "/" + type.getSubtype()
                        + " is not supported") + "; send the inventory as application/yaml or application/json");
    }

    /** The first acceptable of JSON and the YAML types, in the client's order of preference. */
    static MediaType negotiate(List<MediaType> acceptable, MediaType preferred) {
        for (MediaType m : acceptable) {
            if (preferred.isCompatible(m)) {
                return preferred;
            }
            if (MediaType.APPLICATION_JSON_TYPE.isCompatible(m)) {
                return MediaType.APPLICATION_JSON_TYPE;
            }
            for (MediaType y : YAML_TYPES) {
                if (y.isCompatible(m)) {
                    return y;
                }
            }
        }
        return preferred;
    }

    private static Response answer(ActiveInventory a, MediaType type) {
        boolean json = type.isCompatible(MediaType.APPLICATION_JSON_TYPE);
        Response.ResponseBuilder r = json
                ? Response.ok(InventoryWriter.tree(a.inventory()), MediaType.APPLICATION_JSON_TYPE)
                : Response.ok(InventoryWriter.yaml(a.inventory()), type.withCharset("UTF-8"));
        InventoryRevision rev = a.revision();
        r.header(VERSION, rev.version()).header(SOURCE, rev.source().wire());
        if (rev.location() != null) {
            r.header(LOCATION, rev.location());
        }
        if (rev.updatedAt() != null) {
            r.header(UPDATED_AT, rev.updatedAt().toString());
        }
        if (rev.updatedBy() != null) {
            r.header(UPDATED_BY, rev.updatedBy());
        }
        if (rev.sha256() != null) {
            r.header(SHA256, rev.sha256());
        }
        return r.build();
    }
}
