package io.meshwatch.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RedactionTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void valuesUnderSecretFieldNamesAreReplacedAtAnyDepthAndTheArgumentIsLeftAlone() throws Exception {
        JsonNode in = json.readTree("""
                {"name":"ops","secret":"s3cr3t","url":"http://x","nested":{"password":"p","apiKey":"k","token":null},
                 "receivers":[{"webhook_secret":"w","key":"abc","idempotencyKey":"keep"}],"comment":"key rotation"}""");
        JsonNode out = Redaction.redact(in);
        assertEquals("[redacted]", out.get("secret").asText());
        assertEquals("[redacted]", out.at("/nested/password").asText());
        assertEquals("[redacted]", out.at("/nested/apiKey").asText());
        assertTrue(out.at("/nested/token").isNull(), "null stays null: nothing to hide");
        assertEquals("[redacted]", out.at("/receivers/0/webhook_secret").asText());
        assertEquals("[redacted]", out.at("/receivers/0/key").asText());
        assertEquals("keep", out.at("/receivers/0/idempotencyKey").asText(), "not a secret by its name");
        assertEquals("key rotation", out.get("comment").asText(), "values are not judged, names are");
        assertEquals("s3cr3t", in.get("secret").asText());
        assertTrue(!Redaction.text(in).contains("s3cr3t") && !Redaction.text(in).contains("\"p\""));
    }

    @Test
    void aLongAnswerIsCutAndNothingIsNothing() throws Exception {
        String text = Redaction.text(json.readTree("{\"list\":\"" + "x".repeat(10_000) + "\"}"));
        assertEquals(Redaction.MAX_DETAIL, text.length());
        assertTrue(text.endsWith("…"));
        assertNull(Redaction.text(null));
        assertNull(Redaction.text(json.nullNode()));
    }
}
