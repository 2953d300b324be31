package io.loyalty.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What CI checks on every change to k8s/: each kustomization renders, is valid Kubernetes and obeys our rules. */
class RenderedOverlaysTest {

    static java.util.stream.Stream<String> kustomizations() {
        return Overlays.all();
    }

    @Test
    void bothOverlaysExist() {
        assertThat(Overlays.all()).contains("base", "overlays/local", "overlays/production");
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void matchesTheKubernetesSchemas(String kustomization) {
        List<ObjectNode> docs = Overlays.rendered(kustomization);

        assertThat(docs).isNotEmpty();
        assertThat(docs).flatMap(KubernetesSchemas.get()::validate).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void obeysTheDeploymentRules(String kustomization) {
        assertThat(DeploymentRules.check(Overlays.rendered(kustomization))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void everyServiceHasItsFourObjects(String kustomization) {
        List<ObjectNode> docs = Overlays.rendered(kustomization);
        for (String service : Overlays.SERVICES) {
            ObjectNode deployment = Manifests.named(docs, "Deployment", service);
            Manifests.named(docs, "Service", service);
            Manifests.named(docs, "ServiceAccount", service);
            Manifests.named(docs, "ConfigMap", service);
            JsonNode pod = Manifests.podSpec(deployment);
            assertThat(pod.path("serviceAccountName").asText()).isEqualTo(service);
            JsonNode container = pod.path("containers").get(0);
            assertThat(container.path("envFrom").findValuesAsText("name")).contains(service);
            Set<String> ports = new HashSet<>(container.path("ports").findValuesAsText("name"));
            assertThat(ports).as(service).contains("http");
            if (!service.equals("gateway")) {
                assertThat(ports).as(service).contains("grpc");
            }
            assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/liveness");
            assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/actuator/health/liveness");
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/readiness");
        }
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void servicePortsMatchTheApplicationsConfiguredPorts(String kustomization) {
        List<ObjectNode> docs = Overlays.rendered(kustomization);
        record Ports(String service, String prefix, int http, int grpc) {
        }
        for (Ports p : List.of(new Ports("survey-service", "SURVEY", 8081, 9081), new Ports("ticket-service", "TICKET", 8082, 9082),
                new Ports("clv-service", "CLV", 8083, 9083), new Ports("gateway", "GATEWAY", 8080, 0))) {
            JsonNode config = Manifests.named(docs, "ConfigMap", p.service()).path("data");
            JsonNode container = Manifests.podSpec(Manifests.named(docs, "Deployment", p.service())).path("containers").get(0);
            assertThat(config.path(p.prefix() + "_HTTP_PORT").asText()).isEqualTo(String.valueOf(p.http()));
            assertThat(containerPort(container, "http")).isEqualTo(p.http());
            if (p.grpc() > 0) {
                assertThat(config.path(p.prefix() + "_GRPC_PORT").asText()).isEqualTo(String.valueOf(p.grpc()));
                assertThat(containerPort(container, "grpc")).isEqualTo(p.grpc());
            }
            assertThat(config.path("LOGGING_STRUCTURED_FORMAT_CONSOLE").asText()).isEqualTo("ecs");
            assertThat(config.path("LOYALTY_DATABASE_EMBEDDED_ENABLED").asText()).isEqualTo("false");
        }
        JsonNode gateway = Manifests.named(docs, "ConfigMap", "gateway").path("data");
        assertThat(gateway.path("SURVEY_SERVICE_URI").asText()).isEqualTo("http://survey-service:8081");
        assertThat(gateway.path("TICKET_SERVICE_URI").asText()).isEqualTo("http://ticket-service:8082");
        assertThat(gateway.path("CLV_SERVICE_URI").asText()).isEqualTo("http://clv-service:8083");
        JsonNode clv = Manifests.named(docs, "ConfigMap", "clv-service").path("data");
        assertThat(clv.path("LOYALTY_SIGNALS_SURVEY_ADDRESS").asText()).isEqualTo("survey-service:9081");
        assertThat(clv.path("LOYALTY_SIGNALS_TICKET_ADDRESS").asText()).isEqualTo("ticket-service:9082");
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void servicesGetTheirDatabaseAndTheGatewayItsRedisAndAdminKeyFromSecrets(String kustomization) {
        List<ObjectNode> docs = Overlays.rendered(kustomization);
        for (String service : Overlays.SERVICES) {
            JsonNode env = Manifests.podSpec(Manifests.named(docs, "Deployment", service)).at("/containers/0/env");
            List<String> fromSecrets = new ArrayList<>();
            env.forEach(e -> {
                if (e.at("/valueFrom/secretKeyRef").isObject()) {
                    fromSecrets.add(e.path("name").asText());
                }
                assertThat(e.has("value") && e.path("name").asText().matches(".*(PASSWORD|API_KEY|URL)$"))
                        .as(service + " " + e.path("name").asText() + " is a credential in plain text").isFalse();
            });
            assertThat(fromSecrets).as(service).contains("LOYALTY_DATABASE_URL", "LOYALTY_DATABASE_USERNAME", "LOYALTY_DATABASE_PASSWORD");
            if (service.equals("gateway")) {
                assertThat(fromSecrets).contains("SPRING_DATA_REDIS_URL", "LOYALTY_REDIS_URL", "LOYALTY_ADMIN_API_KEY");
            }
        }
    }

    private static int containerPort(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (name.equals(port.path("name").asText())) {
                return port.path("containerPort").asInt();
            }
        }
        return -1;
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void theScoringCronJobPostsTheContractsRequestToTheClvService(String kustomization) throws Exception {
        List<ObjectNode> docs = Overlays.rendered(kustomization);
        ObjectNode cronJob = Manifests.named(docs, "CronJob", "scoring-run");
        assertThat(cronJob.at("/spec/concurrencyPolicy").asText()).isEqualTo("Forbid");
        assertThat(cronJob.at("/spec/schedule").asText()).isNotBlank();
        JsonNode config = Manifests.named(docs, "ConfigMap", "scoring-run").path("data");
        assertThat(config.path("CLV_SERVICE_URI").asText()).isEqualTo("http://clv-service:8083");
        assertThat(Manifests.YAML.readTree(config.path("SCORING_REQUEST").asText()))
                .isEqualTo(Manifests.YAML.readTree("{\"horizonMonths\":12,\"monthlyDiscountRate\":0.01,\"timeUnit\":\"WEEK\"}"));
        String scriptConfigMap = Manifests.podSpec(cronJob).at("/volumes").findValue("configMap").path("name").asText();
        assertThat(Manifests.named(docs, "ConfigMap", scriptConfigMap).at("/data/run-scoring.sh").asText())
                .contains("/api/v1/scoring-runs");
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void configMapsNamedByPodsAreRendered(String kustomization) {
        List<ObjectNode> docs = Overlays.rendered(kustomization);
        Set<String> configMaps = new HashSet<>();
        Manifests.ofKind(docs, "ConfigMap").forEach(c -> configMaps.add(Manifests.name(c)));
        for (ObjectNode workload : docs) {
            if (Manifests.hasPods(workload)) {
                assertThat(configMaps).as(Manifests.id(workload)).containsAll(referenced(workload, "configMapRef", "configMapKeyRef", "configMap"));
            }
        }
    }

    /** Names of the objects a pod refers to through the given fields. */
    static Set<String> referenced(JsonNode workload, String... fields) {
        Set<String> names = new HashSet<>();
        JsonNode pod = Manifests.podSpec(workload);
        for (String field : fields) {
            for (JsonNode ref : pod.findValues(field)) {
                names.add(ref.path("name").asText());
            }
        }
        names.remove("");
        return names;
    }

    @Test
    void theSecretsProductionNeedsAreExactlyTheOnesLocalGenerates() {
        List<ObjectNode> production = Overlays.rendered("overlays/production");
        List<ObjectNode> local = Overlays.rendered("overlays/local");
        Set<String> needed = new HashSet<>();
        production.stream().filter(Manifests::hasPods).forEach(w -> needed.addAll(referenced(w, "secretKeyRef", "secretRef", "secret")));
        assertThat(needed).containsExactlyInAnyOrder("survey-service-database", "ticket-service-database", "clv-service-database",
                "gateway-database", "gateway-redis", "gateway-admin");
        assertThat(Manifests.ofKind(production, "Secret")).as("production secrets are created out of band").isEmpty();

        // local generates each (with a content hash suffix, which kustomize also writes into the references)
        Set<String> localSecrets = new HashSet<>();
        Manifests.ofKind(local, "Secret").forEach(s -> localSecrets.add(Manifests.name(s)));
        List<String> unresolved = new ArrayList<>();
        local.stream().filter(Manifests::hasPods)
                .forEach(w -> referenced(w, "secretKeyRef", "secretRef", "secret").stream().filter(n -> !localSecrets.contains(n)).forEach(unresolved::add));
        assertThat(unresolved).isEmpty();
        for (ObjectNode secret : Manifests.ofKind(local, "Secret")) {
            if (Manifests.name(secret).endsWith("-database") || Manifests.name(secret).contains("-database-")) {
                assertThat(secret.path("data").has("url") && secret.path("data").has("username") && secret.path("data").has("password"))
                        .as(Manifests.id(secret)).isTrue();
            }
        }
    }
}
