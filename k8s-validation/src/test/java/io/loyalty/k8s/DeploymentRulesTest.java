package io.loyalty.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loyalty.k8s.DeploymentRules.Rule;
import io.loyalty.k8s.DeploymentRules.Violation;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rule, proven to catch the violation it exists for, and only that one. */
class DeploymentRulesTest {

    private static List<ObjectNode> fixture() {
        return Manifests.resource("/fixtures/hardened-workloads.yaml");
    }

    private static ObjectNode service(List<ObjectNode> docs) {
        return Manifests.named(docs, "Service", "demo");
    }

    private static ObjectNode deployment(List<ObjectNode> docs) {
        return Manifests.named(docs, "Deployment", "demo");
    }

    private static ObjectNode pod(List<ObjectNode> docs) {
        return (ObjectNode) deployment(docs).at("/spec/template/spec");
    }

    private static ObjectNode app(List<ObjectNode> docs) {
        return (ObjectNode) pod(docs).at("/containers/0");
    }

    private static ObjectNode security(List<ObjectNode> docs) {
        return (ObjectNode) app(docs).get("securityContext");
    }

    private static ObjectNode jobContainer(List<ObjectNode> docs) {
        return (ObjectNode) Manifests.named(docs, "CronJob", "demo-job").at("/spec/jobTemplate/spec/template/spec/containers/0");
    }

    @Test
    void theHardenedFixturePassesEveryRule() {
        assertThat(DeploymentRules.check(fixture())).isEmpty();
    }

    @Test
    void theHardenedFixtureIsAlsoValidKubernetes() {
        assertThat(fixture()).flatMap(KubernetesSchemas.get()::validate).isEmpty();
    }

    static Stream<Arguments> violations() {
        return Stream.of(
                broken("no readiness probe", Rule.PROBES, d -> app(d).remove("readinessProbe")),
                broken("no liveness probe", Rule.PROBES, d -> app(d).remove("livenessProbe")),
                broken("no startup probe", Rule.PROBES, d -> app(d).remove("startupProbe")),
                broken("liveness on the readiness group", Rule.LIVENESS_NOT_READINESS,
                        d -> ((ObjectNode) app(d).at("/livenessProbe/httpGet")).put("path", "/actuator/health/readiness")),
                broken("liveness on the whole health endpoint", Rule.LIVENESS_NOT_READINESS,
                        d -> ((ObjectNode) app(d).at("/livenessProbe/httpGet")).put("path", "/actuator/health")),
                broken("liveness identical to readiness", Rule.LIVENESS_NOT_READINESS, d -> {
                    ((ObjectNode) app(d).at("/readinessProbe/httpGet")).put("path", "/healthz").put("port", "http");
                    ((ObjectNode) app(d).at("/livenessProbe/httpGet")).put("path", "/healthz");
                }),
                broken("no memory limit", Rule.RESOURCES, d -> ((ObjectNode) app(d).at("/resources/limits")).remove("memory")),
                broken("no cpu request", Rule.RESOURCES, d -> ((ObjectNode) app(d).at("/resources/requests")).remove("cpu")),
                broken("no resources on an init container", Rule.RESOURCES,
                        d -> ((ObjectNode) pod(d).at("/initContainers/0")).remove("resources")),
                broken("runAsNonRoot false", Rule.RUN_AS_NON_ROOT,
                        d -> ((ObjectNode) pod(d).get("securityContext")).put("runAsNonRoot", false)),
                broken("runAsNonRoot unset", Rule.RUN_AS_NON_ROOT,
                        d -> ((ObjectNode) pod(d).get("securityContext")).remove("runAsNonRoot")),
                broken("runs as root", Rule.RUN_AS_NON_ROOT, d -> security(d).put("runAsUser", 0)),
                broken("privilege escalation allowed", Rule.NO_PRIVILEGE_ESCALATION,
                        d -> security(d).put("allowPrivilegeEscalation", true)),
                broken("privilege escalation not forbidden", Rule.NO_PRIVILEGE_ESCALATION,
                        d -> security(d).remove("allowPrivilegeEscalation")),
                broken("privileged", Rule.NO_PRIVILEGE_ESCALATION, d -> security(d).put("privileged", true)),
                broken("writable root filesystem", Rule.READ_ONLY_ROOT_FILESYSTEM,
                        d -> security(d).put("readOnlyRootFilesystem", false)),
                broken("writable root filesystem in a CronJob", Rule.READ_ONLY_ROOT_FILESYSTEM,
                        d -> ((ObjectNode) jobContainer(d).get("securityContext")).remove("readOnlyRootFilesystem")),
                broken("no /tmp mount", Rule.WRITABLE_TMP, d -> app(d).remove("volumeMounts")),
                broken("/tmp not an emptyDir", Rule.WRITABLE_TMP, d -> {
                    ObjectNode volume = (ObjectNode) pod(d).at("/volumes/0");
                    volume.remove("emptyDir");
                    volume.putObject("configMap").put("name", "scratch");
                }),
                broken("capabilities not all dropped", Rule.CAPABILITIES_DROPPED,
                        d -> ((ObjectNode) security(d).get("capabilities")).putArray("drop").add("NET_RAW")),
                broken("a capability added", Rule.CAPABILITIES_DROPPED,
                        d -> ((ObjectNode) security(d).get("capabilities")).putArray("add").add("NET_ADMIN")),
                broken("seccomp unconfined", Rule.SECCOMP,
                        d -> ((ObjectNode) pod(d).at("/securityContext/seccompProfile")).put("type", "Unconfined")),
                broken("no seccomp profile", Rule.SECCOMP, d -> ((ObjectNode) pod(d).get("securityContext")).remove("seccompProfile")),
                broken("host network", Rule.HOST_NAMESPACES, d -> pod(d).put("hostNetwork", true)),
                broken("host PID", Rule.HOST_NAMESPACES, d -> pod(d).put("hostPID", true)),
                broken("service account token mounted", Rule.NO_SERVICE_ACCOUNT_TOKEN,
                        d -> pod(d).remove("automountServiceAccountToken")),
                broken("image tagged latest", Rule.PINNED_IMAGE, d -> app(d).put("image", "registry.example.com/loyalty/demo:latest")),
                broken("image without a tag", Rule.PINNED_IMAGE, d -> app(d).put("image", "loyalty/demo")),
                broken("registry port but no tag", Rule.PINNED_IMAGE, d -> app(d).put("image", "registry.example.com:5000/loyalty/demo")),
                broken("unpinned CronJob image", Rule.PINNED_IMAGE, d -> jobContainer(d).put("image", "curlimages/curl")),
                broken("unnamed container port", Rule.NAMED_PORTS, d -> ((ObjectNode) app(d).at("/ports/1")).remove("name")),
                broken("unnamed Service port", Rule.NAMED_PORTS, d -> ((ObjectNode) service(d).at("/spec/ports/0")).remove("name")),
                broken("no preStop pause", Rule.PRE_STOP, d -> app(d).remove("lifecycle")),
                broken("grace period equal to preStop + shutdown phase", Rule.GRACE_PERIOD,
                        d -> pod(d).put("terminationGracePeriodSeconds", 30)),
                broken("default grace period", Rule.GRACE_PERIOD, d -> pod(d).remove("terminationGracePeriodSeconds")),
                broken("preStop longer than the grace period allows", Rule.GRACE_PERIOD, d -> {
                    ObjectNode preStop = (ObjectNode) app(d).at("/lifecycle/preStop");
                    preStop.remove("sleep");
                    ((ArrayNode) preStop.putObject("exec").putArray("command")).add("sh").add("-c").add("sleep 30");
                }));
    }

    private static Arguments broken(String what, Rule rule, Consumer<List<ObjectNode>> breakIt) {
        return Arguments.of(what, rule, breakIt);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("violations")
    void eachRuleCatchesItsViolation(String what, Rule rule, Consumer<List<ObjectNode>> breakIt) {
        List<ObjectNode> docs = fixture();
        breakIt.accept(docs);

        List<Violation> violations = DeploymentRules.check(docs);

        assertThat(violations).as(what).isNotEmpty();
        assertThat(violations.stream().map(Violation::rule).collect(Collectors.toSet())).as(what + ": " + violations).containsOnly(rule);
    }

    @Test
    void everyRuleHasAtLeastOneViolationProvingIt() {
        assertThat(violations().map(a -> (Rule) a.get()[1]).collect(Collectors.toSet())).containsExactlyInAnyOrder(Rule.values());
    }

    @ParameterizedTest
    @ValueSource(strings = {"loyalty/demo:0.1.0", "registry.example.com:5000/loyalty/demo:1.2.3", "postgres:16.4-alpine",
            "eclipse-temurin@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "registry.example.com:5000/demo:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void pinnedImages(String image) {
        assertThat(DeploymentRules.pinned(image)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"loyalty/demo", "loyalty/demo:latest", "loyalty/demo:LATEST", "registry.example.com:5000/demo", "demo:", ""})
    void unpinnedImages(String image) {
        assertThat(DeploymentRules.pinned(image)).isFalse();
    }

    @Test
    void preStopPausesAreReadFromTheSleepActionAndFromSleepCommands() {
        var yaml = Manifests.YAML;
        assertThat(DeploymentRules.preStopSeconds(yaml.valueToTree(java.util.Map.of("sleep", java.util.Map.of("seconds", 12))))).isEqualTo(12);
        assertThat(DeploymentRules.preStopSeconds(yaml.valueToTree(java.util.Map.of("exec", java.util.Map.of("command", List.of("sleep", "7")))))).isEqualTo(7);
        assertThat(DeploymentRules.preStopSeconds(yaml.valueToTree(java.util.Map.of("exec", java.util.Map.of("command", List.of("/bin/sh", "-c", "sleep 15 && kill 1")))))).isEqualTo(15);
        assertThat(DeploymentRules.preStopSeconds(yaml.valueToTree(java.util.Map.of("httpGet", java.util.Map.of("path", "/drain", "port", 8080))))).isZero();
    }
}
