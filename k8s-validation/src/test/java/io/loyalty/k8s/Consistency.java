package io.loyalty.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cross-references the API server (or nothing at all) would only catch once applied: selectors that
 * do not select their own pods, Services that select nothing or name a port no pod has, probes on
 * unknown ports, mounts of undeclared volumes, duplicate environment variables, HPAs and PDBs that
 * point at nothing.
 */
final class Consistency {

    private Consistency() {
    }

    static List<String> check(List<ObjectNode> docs) {
        List<String> problems = new ArrayList<>();
        List<ObjectNode> workloads = docs.stream().filter(Manifests::hasPods).toList();
        for (ObjectNode workload : workloads) {
            String id = Manifests.id(workload);
            JsonNode template = Manifests.podTemplate(workload);
            Map<String, String> labels = labels(template.path("metadata").path("labels"));
            JsonNode selector = workload.path("spec").path("selector");
            if (!"CronJob".equals(Manifests.kind(workload)) && !"Job".equals(Manifests.kind(workload))
                    && !NetworkPolicies.matches(selector, labels)) {
                problems.add(id + ": spec.selector " + selector.path("matchLabels") + " does not select its own pod template " + labels);
            }
            JsonNode pod = Manifests.podSpec(workload);
            Set<String> volumes = new HashSet<>(pod.path("volumes").findValuesAsText("name"));
            workload.path("spec").path("volumeClaimTemplates").forEach(c -> volumes.add(c.path("metadata").path("name").asText()));
            Set<String> containerNames = new HashSet<>();
            for (JsonNode container : Manifests.containers(pod)) {
                String where = id + " container " + container.path("name").asText();
                if (!containerNames.add(container.path("name").asText())) {
                    problems.add(where + ": duplicate container name");
                }
                Set<String> ports = new HashSet<>();
                container.path("ports").forEach(p -> ports.add(p.path("name").asText()));
                for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                    for (String handler : List.of("httpGet", "tcpSocket", "grpc")) {
                        JsonNode port = container.path(probe).path(handler).path("port");
                        if (port.isTextual() && !ports.contains(port.asText())) {
                            problems.add(where + ": " + probe + " uses port '" + port.asText() + "', which the container does not name");
                        }
                    }
                }
                for (JsonNode mount : container.path("volumeMounts")) {
                    if (!volumes.contains(mount.path("name").asText())) {
                        problems.add(where + ": mounts undeclared volume '" + mount.path("name").asText() + "'");
                    }
                }
                Set<String> env = new HashSet<>();
                for (JsonNode variable : container.path("env")) {
                    if (!env.add(variable.path("name").asText())) {
                        problems.add(where + ": environment variable " + variable.path("name").asText() + " is set twice");
                    }
                }
            }
        }
        for (ObjectNode service : Manifests.ofKind(docs, "Service")) {
            Map<String, String> selector = labels(service.path("spec").path("selector"));
            List<JsonNode> selected = new ArrayList<>();
            for (ObjectNode workload : workloads) {
                if (!"CronJob".equals(Manifests.kind(workload)) && selects(selector, labels(Manifests.podTemplate(workload).path("metadata").path("labels")))) {
                    selected.add(workload);
                }
            }
            if (selected.isEmpty()) {
                problems.add(Manifests.id(service) + ": selects no pods");
                continue;
            }
            for (JsonNode port : service.path("spec").path("ports")) {
                JsonNode target = port.path("targetPort");
                if (!target.isTextual()) {
                    continue;
                }
                for (JsonNode workload : selected) {
                    Set<String> named = new HashSet<>();
                    Manifests.containers(Manifests.podSpec(workload)).forEach(c -> c.path("ports").forEach(p -> named.add(p.path("name").asText())));
                    if (!named.contains(target.asText())) {
                        problems.add(Manifests.id(service) + ": targetPort '" + target.asText() + "' is not a port of " + Manifests.id(workload));
                    }
                }
            }
        }
        for (ObjectNode hpa : Manifests.ofKind(docs, "HorizontalPodAutoscaler")) {
            JsonNode target = hpa.path("spec").path("scaleTargetRef");
            boolean found = docs.stream().anyMatch(d -> Manifests.kind(d).equals(target.path("kind").asText())
                    && Manifests.name(d).equals(target.path("name").asText()));
            if (!found) {
                problems.add(Manifests.id(hpa) + ": scales " + target.path("kind").asText() + "/" + target.path("name").asText() + ", which is not rendered");
            }
        }
        for (ObjectNode pdb : Manifests.ofKind(docs, "PodDisruptionBudget")) {
            boolean any = workloads.stream().anyMatch(w -> NetworkPolicies.matches(pdb.path("spec").path("selector"),
                    labels(Manifests.podTemplate(w).path("metadata").path("labels"))));
            if (!any) {
                problems.add(Manifests.id(pdb) + ": selects no pods");
            }
        }
        return problems;
    }

    private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return !selector.isEmpty() && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new HashMap<>();
        node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }
}
