package io.loyalty.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What each overlay adds to the base. */
class LocalAndProductionOverlayTest {

    @ParameterizedTest
    @ValueSource(strings = {"overlays/local", "overlays/production"})
    void everythingLivesInARestrictedNamespace(String overlay) {
        List<ObjectNode> docs = Overlays.rendered(overlay);
        JsonNode labels = Manifests.named(docs, "Namespace", Overlays.NAMESPACE).at("/metadata/labels");
        assertThat(labels.path("pod-security.kubernetes.io/enforce").asText()).isEqualTo("restricted");
        for (ObjectNode doc : docs) {
            if (!"Namespace".equals(Manifests.kind(doc))) {
                assertThat(doc.at("/metadata/namespace").asText()).as(Manifests.id(doc)).isEqualTo(Overlays.NAMESPACE);
            }
        }
    }

    @Test
    void localRunsPostgresAsAStatefulSetWithAVolumeAndCreatesTheFourDatabases() {
        List<ObjectNode> docs = Overlays.rendered("overlays/local");
        ObjectNode postgres = Manifests.named(docs, "StatefulSet", "postgres");
        assertThat(postgres.at("/spec/replicas").asInt()).isEqualTo(1);
        JsonNode claim = postgres.at("/spec/volumeClaimTemplates/0");
        assertThat(claim.at("/spec/resources/requests/storage").asText()).isNotBlank();
        JsonNode container = Manifests.podSpec(postgres).path("containers").get(0);
        assertThat(container.path("volumeMounts").findValuesAsText("name")).contains(claim.at("/metadata/name").asText());
        assertThat(container.path("volumeMounts").findValuesAsText("mountPath")).contains("/docker-entrypoint-initdb.d");

        String initScript = Manifests.ofKind(docs, "ConfigMap").stream()
                .filter(c -> Manifests.name(c).startsWith("postgres-init"))
                .findFirst().orElseThrow()
                .path("data").elements().next().asText();
        for (String database : List.of("survey_service", "ticket_service", "clv_service", "gateway")) {
            assertThat(initScript).contains(database);
        }
        assertThat(initScript).contains("CREATE DATABASE");

        ObjectNode redis = Manifests.named(docs, "Deployment", "redis");
        assertThat(redis.at("/spec/replicas").asInt()).isEqualTo(1);
        Manifests.named(docs, "Service", "postgres");
        Manifests.named(docs, "Service", "redis");
    }

    @Test
    void localDatabaseUrlsPointAtTheInClusterPostgres() {
        List<ObjectNode> docs = Overlays.rendered("overlays/local");
        Map<String, String> expected = Map.of("survey-service", "survey_service", "ticket-service", "ticket_service",
                "clv-service", "clv_service", "gateway", "gateway");
        expected.forEach((service, database) -> {
            String secretName = Manifests.podSpec(Manifests.named(docs, "Deployment", service))
                    .findValues("secretKeyRef").stream()
                    .filter(r -> r.path("key").asText().equals("url") && r.path("name").asText().startsWith(service + "-database"))
                    .findFirst().orElseThrow().path("name").asText();
            String url = new String(java.util.Base64.getDecoder().decode(
                    Manifests.named(docs, "Secret", secretName).at("/data/url").asText()), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(url).isEqualTo("jdbc:postgresql://postgres:5432/" + database);
        });
    }

    @Test
    void productionScalesEveryServiceWithAnHpaAndProtectsItWithAPdb() {
        List<ObjectNode> docs = Overlays.rendered("overlays/production");
        assertThat(Manifests.ofKind(docs, "StatefulSet")).as("the database is external").isEmpty();
        for (String service : Overlays.SERVICES) {
            ObjectNode deployment = Manifests.named(docs, "Deployment", service);
            assertThat(deployment.at("/spec/replicas").isMissingNode()).as(service + ": the HPA owns the replica count").isTrue();
            assertThat(Manifests.podSpec(deployment).path("topologySpreadConstraints")).as(service).hasSize(2);

            ObjectNode hpa = Manifests.named(docs, "HorizontalPodAutoscaler", service);
            assertThat(hpa.at("/spec/scaleTargetRef/kind").asText()).isEqualTo("Deployment");
            assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo(service);
            assertThat(hpa.at("/spec/minReplicas").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(hpa.at("/spec/maxReplicas").asInt()).isGreaterThan(hpa.at("/spec/minReplicas").asInt());

            ObjectNode pdb = Manifests.named(docs, "PodDisruptionBudget", service);
            Map<String, String> podLabels = NetworkPolicies.podOf(deployment, Overlays.NAMESPACE).labels();
            assertThat(NetworkPolicies.matches(pdb.at("/spec/selector"), podLabels)).as(service).isTrue();
            assertThat(pdb.at("/spec/maxUnavailable").asInt()).isEqualTo(1);

            String image = Manifests.podSpec(deployment).at("/containers/0/image").asText();
            assertThat(image).as("production pulls from a registry").matches("[a-z0-9.-]+\\.[a-z]+(:\\d+)?/.+:[\\w.-]+");
        }
    }

    @Test
    void aPdbSelectsOnlyItsOwnService() {
        List<ObjectNode> docs = Overlays.rendered("overlays/production");
        for (ObjectNode pdb : Manifests.ofKind(docs, "PodDisruptionBudget")) {
            long selected = Overlays.SERVICES.stream()
                    .map(s -> NetworkPolicies.podOf(Manifests.named(docs, "Deployment", s), Overlays.NAMESPACE).labels())
                    .filter(labels -> NetworkPolicies.matches(pdb.at("/spec/selector"), labels))
                    .count();
            assertThat(selected).as(Manifests.id(pdb)).isEqualTo(1);
        }
    }
}
