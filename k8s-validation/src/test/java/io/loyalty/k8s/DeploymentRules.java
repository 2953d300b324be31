package io.loyalty.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The platform's own rules for everything that runs pods, on top of the API schema: the Kubernetes
 * restricted pod-security profile, probes on the actuator health groups, resources, pinned images,
 * named ports and a graceful shutdown that fits in the grace period.
 */
final class DeploymentRules {

    /** Spring's {@code spring.lifecycle.timeout-per-shutdown-phase} in every service. */
    static final int SHUTDOWN_PHASE_SECONDS = 20;
    /** Kubernetes' default when a pod sets no terminationGracePeriodSeconds. */
    static final int DEFAULT_GRACE_SECONDS = 30;

    enum Rule {
        PROBES("long-running containers have readiness, liveness and startup probes"),
        LIVENESS_NOT_READINESS("liveness differs from readiness and checks no dependency (no database)"),
        RESOURCES("cpu and memory requests and limits"),
        RUN_AS_NON_ROOT("runAsNonRoot true and no UID 0"),
        NO_PRIVILEGE_ESCALATION("allowPrivilegeEscalation false and not privileged"),
        READ_ONLY_ROOT_FILESYSTEM("readOnlyRootFilesystem true"),
        WRITABLE_TMP("an emptyDir mounted at /tmp"),
        CAPABILITIES_DROPPED("capabilities drop ALL and add none"),
        SECCOMP("seccompProfile RuntimeDefault or Localhost"),
        HOST_NAMESPACES("no hostNetwork, hostPID or hostIPC"),
        NO_SERVICE_ACCOUNT_TOKEN("automountServiceAccountToken false"),
        PINNED_IMAGE("images carry a version tag other than latest, or a digest"),
        NAMED_PORTS("container and Service ports are named"),
        PRE_STOP("service Deployments pause in preStop before shutting down"),
        GRACE_PERIOD("terminationGracePeriodSeconds longer than preStop + the shutdown phase");

        final String description;

        Rule(String description) {
            this.description = description;
        }
    }

    record Violation(Rule rule, String resource, String detail) {
        @Override
        public String toString() {
            return rule + " " + resource + ": " + detail;
        }
    }

    private static final Set<String> SERVICE_COMPONENTS = Set.of("service", "gateway");
    private static final Set<String> DEPENDENCY_HEALTH_PATHS = Set.of("/actuator/health", "/actuator/health/readiness");

    private DeploymentRules() {
    }

    static List<Violation> check(List<? extends JsonNode> objects) {
        List<Violation> violations = new ArrayList<>();
        for (JsonNode object : objects) {
            if ("Service".equals(Manifests.kind(object))) {
                checkService(object, violations);
            }
            if (Manifests.hasPods(object)) {
                checkWorkload(object, violations);
            }
        }
        return violations;
    }

    private static void checkService(JsonNode service, List<Violation> out) {
        for (JsonNode port : service.path("spec").path("ports")) {
            if (port.path("name").asText("").isBlank()) {
                out.add(new Violation(Rule.NAMED_PORTS, Manifests.id(service), "Service port " + port.path("port") + " has no name"));
            }
        }
    }

    private static void checkWorkload(JsonNode workload, List<Violation> out) {
        String id = Manifests.id(workload);
        JsonNode pod = Manifests.podSpec(workload);
        boolean longRunning = Manifests.LONG_RUNNING.contains(Manifests.kind(workload));
        String component = Manifests.podTemplate(workload).path("metadata").path("labels").path("app.kubernetes.io/component").asText(
                workload.path("metadata").path("labels").path("app.kubernetes.io/component").asText(""));
        boolean serviceDeployment = "Deployment".equals(Manifests.kind(workload)) && SERVICE_COMPONENTS.contains(component);

        if (pod.path("hostNetwork").asBoolean(false) || pod.path("hostPID").asBoolean(false) || pod.path("hostIPC").asBoolean(false)) {
            out.add(new Violation(Rule.HOST_NAMESPACES, id, "shares a host namespace"));
        }
        if (!pod.path("automountServiceAccountToken").isBoolean() || pod.path("automountServiceAccountToken").asBoolean()) {
            out.add(new Violation(Rule.NO_SERVICE_ACCOUNT_TOKEN, id, "pod does not set automountServiceAccountToken: false"));
        }

        JsonNode podSecurity = pod.path("securityContext");
        int longestPreStop = 0;
        for (JsonNode container : Manifests.containers(pod)) {
            String where = id + " container " + container.path("name").asText("?");
            JsonNode security = container.path("securityContext");

            if (longRunning && isRegular(pod, container)) {
                for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                    if (!container.path(probe).isObject()) {
                        out.add(new Violation(Rule.PROBES, where, "no " + probe));
                    }
                }
                checkLiveness(container, where, out);
                for (JsonNode port : container.path("ports")) {
                    if (port.path("name").asText("").isBlank()) {
                        out.add(new Violation(Rule.NAMED_PORTS, where, "containerPort " + port.path("containerPort") + " has no name"));
                    }
                }
            }

            JsonNode resources = container.path("resources");
            for (String section : List.of("requests", "limits")) {
                for (String resource : List.of("cpu", "memory")) {
                    if (resources.path(section).path(resource).isMissingNode()) {
                        out.add(new Violation(Rule.RESOURCES, where, "no " + section + "." + resource));
                    }
                }
            }

            boolean nonRoot = security.path("runAsNonRoot").isBoolean()
                    ? security.path("runAsNonRoot").asBoolean()
                    : podSecurity.path("runAsNonRoot").asBoolean(false);
            if (!nonRoot) {
                out.add(new Violation(Rule.RUN_AS_NON_ROOT, where, "runAsNonRoot is not true"));
            }
            JsonNode uid = security.has("runAsUser") ? security.path("runAsUser") : podSecurity.path("runAsUser");
            if (uid.isNumber() && uid.asLong() == 0) {
                out.add(new Violation(Rule.RUN_AS_NON_ROOT, where, "runs as UID 0"));
            }
            if (!security.path("allowPrivilegeEscalation").isBoolean() || security.path("allowPrivilegeEscalation").asBoolean()) {
                out.add(new Violation(Rule.NO_PRIVILEGE_ESCALATION, where, "allowPrivilegeEscalation is not false"));
            }
            if (security.path("privileged").asBoolean(false)) {
                out.add(new Violation(Rule.NO_PRIVILEGE_ESCALATION, where, "privileged"));
            }
            if (!security.path("readOnlyRootFilesystem").asBoolean(false)) {
                out.add(new Violation(Rule.READ_ONLY_ROOT_FILESYSTEM, where, "readOnlyRootFilesystem is not true"));
            }
            if (!mountsEmptyDirAtTmp(pod, container)) {
                out.add(new Violation(Rule.WRITABLE_TMP, where, "no emptyDir volume mounted at /tmp"));
            }
            JsonNode capabilities = security.path("capabilities");
            if (!Manifests.texts(capabilities.path("drop")).contains("ALL")) {
                out.add(new Violation(Rule.CAPABILITIES_DROPPED, where, "capabilities.drop does not contain ALL"));
            }
            if (!capabilities.path("add").isEmpty()) {
                out.add(new Violation(Rule.CAPABILITIES_DROPPED, where, "adds capabilities " + capabilities.path("add")));
            }
            String seccomp = security.path("seccompProfile").path("type").asText(podSecurity.path("seccompProfile").path("type").asText(""));
            if (!seccomp.equals("RuntimeDefault") && !seccomp.equals("Localhost")) {
                out.add(new Violation(Rule.SECCOMP, where, "seccompProfile is '" + seccomp + "'"));
            }
            String image = container.path("image").asText("");
            if (!pinned(image)) {
                out.add(new Violation(Rule.PINNED_IMAGE, where, "image '" + image + "' is not pinned to a version"));
            }

            int preStop = preStopSeconds(container.path("lifecycle").path("preStop"));
            if (serviceDeployment && isRegular(pod, container) && container.path("lifecycle").path("preStop").isMissingNode()) {
                out.add(new Violation(Rule.PRE_STOP, where, "no preStop hook"));
            }
            longestPreStop = Math.max(longestPreStop, preStop);
        }

        if (serviceDeployment || longestPreStop > 0) {
            int grace = pod.path("terminationGracePeriodSeconds").asInt(DEFAULT_GRACE_SECONDS);
            int needed = longestPreStop + SHUTDOWN_PHASE_SECONDS;
            if (grace <= needed) {
                out.add(new Violation(Rule.GRACE_PERIOD, id, "terminationGracePeriodSeconds " + grace + " is not longer than preStop "
                        + longestPreStop + " s + shutdown phase " + SHUTDOWN_PHASE_SECONDS + " s"));
            }
        }
    }

    private static boolean isRegular(JsonNode pod, JsonNode container) {
        for (JsonNode c : pod.path("containers")) {
            if (c == container) {
                return true;
            }
        }
        return false;
    }

    private static void checkLiveness(JsonNode container, String where, List<Violation> out) {
        JsonNode liveness = container.path("livenessProbe");
        JsonNode readiness = container.path("readinessProbe");
        if (liveness.isMissingNode()) {
            return;
        }
        JsonNode livenessHandler = handler(liveness);
        if (!readiness.isMissingNode() && livenessHandler.equals(handler(readiness))) {
            out.add(new Violation(Rule.LIVENESS_NOT_READINESS, where, "liveness probe is the readiness probe"));
        }
        String path = liveness.path("httpGet").path("path").asText("");
        if (DEPENDENCY_HEALTH_PATHS.contains(path.replaceAll("/+$", ""))) {
            out.add(new Violation(Rule.LIVENESS_NOT_READINESS, where, "liveness probe " + path + " includes dependency checks"));
        }
    }

    /** What a probe checks, without its timing. */
    private static JsonNode handler(JsonNode probe) {
        for (String handler : List.of("httpGet", "exec", "tcpSocket", "grpc")) {
            if (probe.has(handler)) {
                return probe.get(handler);
            }
        }
        return probe;
    }

    private static boolean mountsEmptyDirAtTmp(JsonNode pod, JsonNode container) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if ("/tmp".equals(mount.path("mountPath").asText().replaceAll("/+$", ""))) {
                String volume = mount.path("name").asText();
                for (JsonNode v : pod.path("volumes")) {
                    if (volume.equals(v.path("name").asText()) && v.has("emptyDir")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** A digest, or an explicit tag other than latest (the tag follows the last ':' after the last '/'). */
    static boolean pinned(String image) {
        if (image.isBlank()) {
            return false;
        }
        if (image.contains("@sha256:")) {
            return true;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon <= slash) {
            return false;
        }
        String tag = image.substring(colon + 1);
        return !tag.isBlank() && !tag.equalsIgnoreCase("latest");
    }

    /** Seconds a preStop hook pauses: the sleep action or a {@code sleep N} command; 0 for anything else. */
    static int preStopSeconds(JsonNode preStop) {
        if (preStop.path("sleep").has("seconds")) {
            return preStop.path("sleep").path("seconds").asInt();
        }
        List<String> command = Manifests.texts(preStop.path("exec").path("command"));
        String joined = String.join(" ", command);
        var matcher = java.util.regex.Pattern.compile("(?:^|\\s|/)sleep\\s+(\\d+)").matcher(joined);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }
}
