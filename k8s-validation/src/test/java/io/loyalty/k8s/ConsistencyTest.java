package io.loyalty.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConsistencyTest {

    static Stream<String> kustomizations() {
        return Overlays.all();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void everyReferenceInTheRenderedOutputResolves(String kustomization) {
        assertThat(Consistency.check(Overlays.rendered(kustomization))).isEmpty();
    }

    static Stream<Arguments> brokenReferences() {
        return Stream.of(
                Arguments.of("selector misses the pods", "does not select its own pod template", (Consumer<List<ObjectNode>>) d ->
                        ((ObjectNode) deployment(d).at("/spec/selector/matchLabels")).put("app.kubernetes.io/name", "other")),
                Arguments.of("Service selects nothing", "selects no pods", (Consumer<List<ObjectNode>>) d ->
                        ((ObjectNode) Manifests.named(d, "Service", "survey-service").at("/spec/selector")).put("app.kubernetes.io/name", "survey")),
                Arguments.of("Service targets an unknown port", "targetPort 'grpc-web'", (Consumer<List<ObjectNode>>) d ->
                        ((ObjectNode) Manifests.named(d, "Service", "survey-service").at("/spec/ports/1")).put("targetPort", "grpc-web")),
                Arguments.of("probe on an unknown port", "uses port 'management'", (Consumer<List<ObjectNode>>) d ->
                        ((ObjectNode) deployment(d).at("/spec/template/spec/containers/0/livenessProbe/httpGet")).put("port", "management")),
                Arguments.of("mount of an undeclared volume", "undeclared volume 'cache'", (Consumer<List<ObjectNode>>) d ->
                        ((com.fasterxml.jackson.databind.node.ArrayNode) deployment(d).at("/spec/template/spec/containers/0/volumeMounts"))
                                .addObject().put("name", "cache").put("mountPath", "/cache")),
                Arguments.of("variable set twice", "LOYALTY_DATABASE_URL is set twice", (Consumer<List<ObjectNode>>) d ->
                        ((com.fasterxml.jackson.databind.node.ArrayNode) deployment(d).at("/spec/template/spec/containers/0/env"))
                                .addObject().put("name", "LOYALTY_DATABASE_URL").put("value", "jdbc:postgresql://x/y")),
                Arguments.of("HPA on a missing Deployment", "which is not rendered", (Consumer<List<ObjectNode>>) d ->
                        ((ObjectNode) Manifests.named(d, "HorizontalPodAutoscaler", "survey-service").at("/spec/scaleTargetRef")).put("name", "surveys")),
                Arguments.of("PDB selecting nothing", "PodDisruptionBudget/survey-service: selects no pods", (Consumer<List<ObjectNode>>) d ->
                        ((ObjectNode) Manifests.named(d, "PodDisruptionBudget", "survey-service").at("/spec/selector/matchLabels")).put("app.kubernetes.io/name", "surveys")));
    }

    private static ObjectNode deployment(List<ObjectNode> docs) {
        return Manifests.named(docs, "Deployment", "survey-service");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenReferences")
    void eachCheckCatchesItsBreak(String what, String expected, Consumer<List<ObjectNode>> breakIt) {
        List<ObjectNode> docs = Overlays.rendered("overlays/production");
        breakIt.accept(docs);

        assertThat(Consistency.check(docs)).as(what).anySatisfy(p -> assertThat(p).contains(expected));
    }
}
