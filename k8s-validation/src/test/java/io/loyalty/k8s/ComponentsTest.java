package io.loyalty.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loyalty.k8s.NetworkPolicies.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The opt-in components, rendered on top of the production overlay as an operator would add them. */
class ComponentsTest {

    private static List<ObjectNode> docs;

    @BeforeAll
    static void render() throws IOException {
        // kustomize accepts only relative paths to bases and components, so the scratch overlay lives under target/
        Path scratch = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "components").toAbsolutePath();
        Path k8s = scratch.relativize(Manifests.k8sDir());
        Files.writeString(scratch.resolve("kustomization.yaml"), String.join("\n",
                "apiVersion: kustomize.config.k8s.io/v1beta1",
                "kind: Kustomization",
                "resources: [" + k8s.resolve("overlays/production") + "]",
                "components:",
                "  - " + k8s.resolve("components/prometheus-scrape"),
                "  - " + k8s.resolve("components/gateway-jwks-egress"),
                ""));
        docs = Manifests.parse(Kustomize.fromEnvironment().render(scratch));
    }

    @Test
    void theResultIsStillValidAndFollowsTheRules() {
        assertThat(docs).flatMap(KubernetesSchemas.get()::validate).isEmpty();
        assertThat(DeploymentRules.check(docs)).isEmpty();
        Manifests.named(docs, "NetworkPolicy", "allow-prometheus-scrape");
        Manifests.named(docs, "NetworkPolicy", "gateway-jwks-egress");
    }

    @Test
    void prometheusScrapesTheHttpPortsAndNothingElse() {
        NetworkPolicies policies = new NetworkPolicies(Overlays.NAMESPACE, docs);
        Pod prometheus = NetworkPolicies.outside("monitoring", Map.of("app.kubernetes.io/name", "prometheus"));
        Pod intruder = NetworkPolicies.outside("monitoring", Map.of("app.kubernetes.io/name", "grafana"));
        for (String service : Overlays.SERVICES) {
            Pod pod = NetworkPolicies.podOf(Manifests.named(docs, "Deployment", service), Overlays.NAMESPACE);
            assertThat(policies.allows(prometheus, pod, "http")).as(service).isTrue();
            if (!service.equals("gateway")) {
                // the gateway's http port is open to every namespace anyway
                assertThat(policies.allows(intruder, pod, "http")).as(service).isFalse();
                assertThat(policies.allows(prometheus, pod, "grpc")).as(service).isFalse();
            }
        }
    }

    @Test
    void theGatewayAloneReachesPublicHttpsEndpoints() {
        NetworkPolicies policies = new NetworkPolicies(Overlays.NAMESPACE, docs);
        Pod issuer = new Pod("internet", Map.of(), Map.of(), Map.of("https", 443), "203.0.113.10");
        Pod internalHttps = new Pod("internet", Map.of(), Map.of(), Map.of("https", 443), "10.1.2.3");
        Pod gateway = NetworkPolicies.podOf(Manifests.named(docs, "Deployment", "gateway"), Overlays.NAMESPACE);
        Pod survey = NetworkPolicies.podOf(Manifests.named(docs, "Deployment", "survey-service"), Overlays.NAMESPACE);

        assertThat(policies.allows(gateway, issuer, "https")).isTrue();
        assertThat(policies.allows(gateway, internalHttps, "https")).isFalse();
        assertThat(policies.allows(gateway, issuer, "80")).isFalse();
        assertThat(policies.allows(survey, issuer, "https")).isFalse();
    }

    @Test
    void cidrMatching() {
        assertThat(NetworkPolicies.inCidr("10.0.0.0/8", "10.255.1.2")).isTrue();
        assertThat(NetworkPolicies.inCidr("10.0.0.0/8", "11.0.0.1")).isFalse();
        assertThat(NetworkPolicies.inCidr("172.16.0.0/12", "172.31.255.255")).isTrue();
        assertThat(NetworkPolicies.inCidr("172.16.0.0/12", "172.32.0.0")).isFalse();
        assertThat(NetworkPolicies.inCidr("0.0.0.0/0", "203.0.113.10")).isTrue();
        assertThat(NetworkPolicies.inCidr("203.0.113.10/32", "203.0.113.11")).isFalse();
    }
}
