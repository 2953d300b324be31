package io.loyalty.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** Kubernetes objects read from multi-document YAML, and where their pod templates live. */
final class Manifests {

    static final ObjectMapper YAML = new YAMLMapper();

    /** Kinds that run pods for as long as they are deployed: probes and ports apply to them. */
    static final Set<String> LONG_RUNNING = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet");

    private Manifests() {
    }

    static List<ObjectNode> parse(String yaml) {
        try (var parser = new YAMLFactory().createParser(yaml)) {
            List<ObjectNode> docs = new ArrayList<>();
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node instanceof ObjectNode object && !object.isEmpty()) {
                    docs.add(object);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("not valid YAML", e);
        }
    }

    static List<ObjectNode> resource(String classpathName) {
        try (InputStream in = Manifests.class.getResourceAsStream(classpathName)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + classpathName);
            }
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path k8sDir() {
        return Path.of(System.getProperty("k8s.dir", "../k8s")).toAbsolutePath().normalize();
    }

    static String kind(JsonNode doc) {
        return doc.path("kind").asText();
    }

    static String name(JsonNode doc) {
        return doc.path("metadata").path("name").asText();
    }

    static String id(JsonNode doc) {
        return kind(doc) + "/" + name(doc);
    }

    static List<ObjectNode> ofKind(List<ObjectNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(kind(d))).collect(Collectors.toList());
    }

    static ObjectNode named(List<ObjectNode> docs, String kind, String name) {
        return docs.stream()
                .filter(d -> kind.equals(kind(d)) && name.equals(name(d)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " in the rendered output"));
    }

    /** The pod template of a workload ({@code spec} of its pod), or a missing node for other kinds. */
    static JsonNode podTemplate(JsonNode doc) {
        return switch (kind(doc)) {
            case "Pod" -> doc.path("spec");
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" -> doc.path("spec").path("template");
            case "CronJob" -> doc.path("spec").path("jobTemplate").path("spec").path("template");
            default -> MissingNode.getInstance();
        };
    }

    static JsonNode podSpec(JsonNode doc) {
        return "Pod".equals(kind(doc)) ? doc.path("spec") : podTemplate(doc).path("spec");
    }

    static boolean hasPods(JsonNode doc) {
        return !podSpec(doc).isMissingNode();
    }

    /** Regular and init containers of a pod spec. */
    static List<JsonNode> containers(JsonNode podSpec) {
        List<JsonNode> all = new ArrayList<>();
        podSpec.path("initContainers").forEach(all::add);
        podSpec.path("containers").forEach(all::add);
        return all;
    }

    static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).collect(Collectors.toList());
    }
}
