package io.loyalty.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The kustomizations under k8s/, each rendered once per test run. */
final class Overlays {

    static final List<String> SERVICES = List.of("survey-service", "ticket-service", "clv-service", "gateway");
    static final String NAMESPACE = "loyalty";

    private static final Map<String, List<ObjectNode>> RENDERED = new ConcurrentHashMap<>();

    private Overlays() {
    }

    /** "base" and every overlays/* directory with a kustomization, so a new overlay is validated too. */
    static Stream<String> all() {
        Path overlays = Manifests.k8sDir().resolve("overlays");
        try (Stream<Path> dirs = Files.list(overlays)) {
            List<String> found = dirs.filter(d -> Files.exists(d.resolve("kustomization.yaml")))
                    .map(d -> "overlays/" + d.getFileName())
                    .sorted()
                    .toList();
            return Stream.concat(Stream.of("base"), found.stream());
        } catch (IOException e) {
            throw new UncheckedIOException("no overlays under " + overlays, e);
        }
    }

    /** A fresh copy each time, so that a test that breaks something breaks it only for itself. */
    static List<ObjectNode> rendered(String kustomization) {
        return RENDERED.computeIfAbsent(kustomization,
                        k -> Manifests.parse(Kustomize.fromEnvironment().render(Manifests.k8sDir().resolve(k))))
                .stream().map(ObjectNode::deepCopy).toList();
    }
}
