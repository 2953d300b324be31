package io.loyalty.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loyalty.k8s.NetworkPolicies.Pod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Who can reach whom once the rendered NetworkPolicies are in force. */
class NetworkPoliciesTest {

    private static final Pod OUTSIDE = NetworkPolicies.outside("ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx"));
    private static final Pod DNS = new Pod("kube-system", Map.of("kubernetes.io/metadata.name", "kube-system"),
            Map.of("k8s-app", "kube-dns"), Map.of("dns", 53));
    private static final Pod INTERNET = new Pod("elsewhere", Map.of(), Map.of(), Map.of("https", 443), "203.0.113.10");
    private static final Pod MANAGED_DATABASE = new Pod("elsewhere", Map.of(), Map.of(), Map.of("postgres", 5432), "10.20.0.5");

    private static Pod pod(List<ObjectNode> docs, String kind, String name) {
        return NetworkPolicies.podOf(Manifests.named(docs, kind, name), Overlays.NAMESPACE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/local", "overlays/production"})
    void onlyTheIntendedCallsGetThrough(String overlay) {
        List<ObjectNode> docs = Overlays.rendered(overlay);
        NetworkPolicies policies = new NetworkPolicies(Overlays.NAMESPACE, docs);
        Pod gateway = pod(docs, "Deployment", "gateway");
        Pod survey = pod(docs, "Deployment", "survey-service");
        Pod ticket = pod(docs, "Deployment", "ticket-service");
        Pod clv = pod(docs, "Deployment", "clv-service");
        Pod scoring = pod(docs, "CronJob", "scoring-run");

        // from outside the namespace: the gateway only
        assertThat(policies.allows(OUTSIDE, gateway, "http")).isTrue();
        for (Pod backend : List.of(survey, ticket, clv)) {
            assertThat(policies.allows(OUTSIDE, backend, "http")).isFalse();
            assertThat(policies.allows(OUTSIDE, backend, "grpc")).isFalse();
        }
        // survey and ticket: HTTP only from the gateway, gRPC only from clv
        for (Pod signals : List.of(survey, ticket)) {
            assertThat(policies.allows(gateway, signals, "http")).isTrue();
            assertThat(policies.allows(gateway, signals, "grpc")).isFalse();
            assertThat(policies.allows(clv, signals, "grpc")).isTrue();
            assertThat(policies.allows(clv, signals, "http")).isFalse();
            assertThat(policies.allows(scoring, signals, "http")).isFalse();
        }
        assertThat(policies.allows(survey, ticket, "grpc")).isFalse();
        assertThat(policies.allows(ticket, survey, "http")).isFalse();
        // clv: HTTP from the gateway and the scoring job, nothing else
        assertThat(policies.allows(gateway, clv, "http")).isTrue();
        assertThat(policies.allows(scoring, clv, "http")).isTrue();
        assertThat(policies.allows(gateway, clv, "grpc")).isFalse();
        assertThat(policies.allows(survey, clv, "http")).isFalse();
        assertThat(policies.allows(scoring, gateway, "http")).isFalse();
        // nobody calls the job
        assertThat(policies.allows(gateway, scoring, "8080")).isFalse();
        // egress: DNS for all; the database for the services; nothing else leaves
        for (Pod any : List.of(gateway, survey, ticket, clv, scoring)) {
            assertThat(policies.allows(any, DNS, "53")).isTrue();
            assertThat(policies.allows(any, INTERNET, "https")).isFalse();
        }
        for (Pod withDatabase : List.of(gateway, survey, ticket, clv)) {
            assertThat(policies.allows(withDatabase, MANAGED_DATABASE, "5432")).isTrue();
        }
        assertThat(policies.allows(scoring, MANAGED_DATABASE, "5432")).isFalse();
    }

    @Test
    void inTheLocalOverlayPostgresServesTheServicesAndRedisOnlyTheGateway() {
        List<ObjectNode> docs = Overlays.rendered("overlays/local");
        NetworkPolicies policies = new NetworkPolicies(Overlays.NAMESPACE, docs);
        Pod postgres = pod(docs, "StatefulSet", "postgres");
        Pod redis = pod(docs, "Deployment", "redis");
        Pod gateway = pod(docs, "Deployment", "gateway");
        Pod clv = pod(docs, "Deployment", "clv-service");
        Pod scoring = pod(docs, "CronJob", "scoring-run");

        for (String service : Overlays.SERVICES) {
            assertThat(policies.allows(pod(docs, "Deployment", service), postgres, "postgres")).as(service).isTrue();
        }
        assertThat(policies.allows(scoring, postgres, "postgres")).isFalse();
        assertThat(policies.allows(OUTSIDE, postgres, "postgres")).isFalse();
        assertThat(policies.allows(gateway, redis, "redis")).isTrue();
        assertThat(policies.allows(clv, redis, "redis")).isFalse();
        assertThat(policies.allows(OUTSIDE, redis, "redis")).isFalse();
        assertThat(policies.allows(postgres, MANAGED_DATABASE, "5432")).isFalse();
    }

    @Test
    void theDefaultDenyIsWhatClosesEverythingElse() {
        List<ObjectNode> docs = Overlays.rendered("overlays/production");
        List<ObjectNode> withoutDefaultDeny = docs.stream()
                .filter(d -> !Manifests.id(d).equals("NetworkPolicy/default-deny-all") && !Manifests.id(d).equals("NetworkPolicy/scoring-run"))
                .toList();
        Pod gateway = pod(docs, "Deployment", "gateway");
        Pod scoring = pod(docs, "CronJob", "scoring-run");

        assertThat(new NetworkPolicies(Overlays.NAMESPACE, docs).allows(OUTSIDE, scoring, "8080")).isFalse();
        assertThat(new NetworkPolicies(Overlays.NAMESPACE, withoutDefaultDeny).allows(OUTSIDE, scoring, "8080"))
                .as("a pod no policy selects is open").isTrue();
    }
}
