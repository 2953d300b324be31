package io.loyalty.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schema check accepts what the API server accepts and rejects what kubectl's strict validation rejects. */
class KubernetesSchemasTest {

    private final KubernetesSchemas schemas = KubernetesSchemas.get();

    private static ObjectNode deployment() {
        return Manifests.named(Manifests.resource("/fixtures/hardened-workloads.yaml"), "Deployment", "demo");
    }

    private static ObjectNode container(ObjectNode deployment) {
        return (ObjectNode) deployment.at("/spec/template/spec/containers/0");
    }

    @Test
    void knowsTheKindsOfTheTargetedKubernetesVersion() {
        assertThat(schemas.kinds()).isGreaterThan(50);
        for (String yaml : List.of(
                "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: a}\nspec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: a}, minReplicas: 2, maxReplicas: 4}",
                "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: a}\nspec: {maxUnavailable: 1, selector: {matchLabels: {app: a}}}",
                "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: a}\nspec: {podSelector: {}, policyTypes: [Ingress]}",
                "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: a}\nspec: {schedule: '0 2 * * *', timeZone: Etc/UTC, jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: a, image: 'a:1'}]}}}}}",
                "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: a}\nspec: {serviceName: a, selector: {matchLabels: {app: a}}, template: {spec: {containers: [{name: a, image: 'a:1'}]}}, volumeClaimTemplates: [{metadata: {name: d}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}}]}")) {
            assertThat(Manifests.parse(yaml)).flatMap(schemas::validate).isEmpty();
        }
    }

    @Test
    void aMisspeltFieldIsRejected() {
        ObjectNode deployment = deployment();
        ((ObjectNode) deployment.get("spec")).put("replica", 2);
        container(deployment).set("readinesProbe", container(deployment).get("readinessProbe"));

        assertThat(schemas.validate(deployment)).hasSize(2)
                .anySatisfy(v -> assertThat(v).contains("replica"))
                .anySatisfy(v -> assertThat(v).contains("readinesProbe"));
    }

    @Test
    void aWrongTypeIsRejected() {
        ObjectNode deployment = deployment();
        ((ObjectNode) deployment.get("spec")).put("replicas", "two");

        assertThat(schemas.validate(deployment)).singleElement().asString().contains("replicas").contains("integer");
    }

    @Test
    void unquotedNumbersInAConfigMapAreRejected() {
        var configMap = Manifests.parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {SURVEY_HTTP_PORT: 8081}");

        assertThat(configMap).flatMap(schemas::validate).singleElement().asString().contains("SURVEY_HTTP_PORT");
    }

    @Test
    void portsAreIntegersOrNamesAndQuantitiesStringsOrNumbers() {
        ObjectNode deployment = deployment();
        ((ObjectNode) container(deployment).at("/livenessProbe/httpGet")).put("port", 8081);
        ((ObjectNode) container(deployment).at("/resources/requests")).put("cpu", 1).put("memory", "1Gi");
        assertThat(schemas.validate(deployment)).isEmpty();

        ((ObjectNode) container(deployment).at("/livenessProbe/httpGet")).put("port", true);
        ((ObjectNode) container(deployment).at("/resources/requests")).putObject("memory").put("Format", "BinarySI");
        assertThat(schemas.validate(deployment))
                .extracting(v -> v.replaceAll(": [a-z]+ found, [a-z]+ expected$", ""))
                .containsOnly("Deployment/demo: $.spec.template.spec.containers[0].livenessProbe.httpGet.port",
                        "Deployment/demo: $.spec.template.spec.containers[0].resources.requests.memory");
    }

    @Test
    void kindsAndVersionsTheTargetedKubernetesDoesNotServeAreRejected() {
        ObjectNode misspelt = deployment().put("kind", "Deploymnet");
        ObjectNode removed = deployment().put("apiVersion", "extensions/v1beta1");
        ObjectNode noKind = deployment();
        noKind.remove("kind");

        assertThat(schemas.validate(misspelt)).singleElement().asString().contains("no Kubernetes 1.30 schema").contains("Deploymnet");
        assertThat(schemas.validate(removed)).singleElement().asString().contains("extensions/v1beta1");
        assertThat(schemas.validate(noKind)).singleElement().asString().contains("no Kubernetes 1.30 schema");
    }
}
