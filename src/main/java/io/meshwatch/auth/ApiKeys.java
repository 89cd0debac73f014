package io.meshwatch.auth;

import io.meshwatch.platform.MeshwatchConfig;
import io.meshwatch.platform.StartupFailure;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The API keys of {@code meshwatch.auth.keys.<name>.key} / {@code .role}, checked at start-up (a
 * bad role, an empty or a duplicate key stops it). Keys are compared in constant time.
 */
@ApplicationScoped
public class ApiKeys {

    /** A caller: the key's configured name (recorded as the actor of changes) and role. */
    public record Caller(String name, Role role) {
    }

    private final boolean enabled;
    private final Map<String, Caller> byKey = new LinkedHashMap<>();

    public ApiKeys(MeshwatchConfig config) {
        this.enabled = config.auth().enabled();
        config.auth().keys().forEach((name, k) -> {
            String where = "meshwatch.auth.keys." + name;
            if (k.key() == null || k.key().isBlank()) {
                throw new StartupFailure(where + ".key is empty");
            }
            Role role;
            try {
                role = Role.fromWire(k.role());
            } catch (IllegalArgumentException e) {
                throw new StartupFailure(where + ".role: " + e.getMessage());
            }
            if (byKey.put(k.key(), new Caller(name, role)) != null) {
                throw new StartupFailure(where + ".key is the same as another key's; each key must be unique");
            }
        });
        if (enabled && byKey.isEmpty()) {
            org.jboss.logging.Logger.getLogger(ApiKeys.class).warn("API keys are on (meshwatch.auth.enabled) but none "
                    + "is configured: every /api/v1 request is refused with 401; add meshwatch.auth.keys.<name>.key and .role");
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /** The caller a presented key belongs to. */
    public Optional<Caller> caller(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] p = presented.getBytes(StandardCharsets.UTF_8);
        Caller found = null;
        for (Map.Entry<String, Caller> e : byKey.entrySet()) {
            if (MessageDigest.isEqual(p, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                found = e.getValue();
            }
        }
        return Optional.ofNullable(found);
    }
}
