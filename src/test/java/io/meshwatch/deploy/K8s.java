package io.meshwatch.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The manifests of k8s/, parsed: every document of every file. */
final class K8s {

    static final Path DIR = Path.of("k8s");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One YAML document and the file it came from. */
    record Doc(Path file, JsonNode node) {
        String kind() {
            return node.path("kind").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }
    }

    private K8s() {
    }

    static List<Path> files() {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> read(Path file) {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            List<JsonNode> out = new ArrayList<>();
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isEmpty()) {
                    out.add(n);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    static JsonNode kustomization() {
        return read(DIR.resolve("kustomization.yaml")).get(0);
    }

    /** Every document of the files the kustomization lists as resources. */
    static List<Doc> resources() {
        List<Doc> out = new ArrayList<>();
        for (JsonNode r : kustomization().path("resources")) {
            Path f = DIR.resolve(r.asText());
            for (JsonNode n : read(f)) {
                out.add(new Doc(f, n));
            }
        }
        return out;
    }

    static List<Doc> ofKind(String kind) {
        return resources().stream().filter(d -> d.kind().equals(kind)).toList();
    }

    static Doc one(String kind) {
        List<Doc> docs = ofKind(kind);
        if (docs.size() != 1) {
            throw new AssertionError("expected one " + kind + " in k8s/, found " + docs.size());
        }
        return docs.get(0);
    }
}
