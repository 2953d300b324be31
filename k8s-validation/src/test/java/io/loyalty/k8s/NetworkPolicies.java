package io.loyalty.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who may open a TCP connection to whom under a set of NetworkPolicies, following the Kubernetes
 * semantics for the parts our policies use: a pod selected by no policy of a direction is open in that
 * direction; a selected pod allows what the union of the selecting policies' rules allows; a peer with
 * only a podSelector means pods of the policy's own namespace; named ports resolve on the destination pod.
 */
final class NetworkPolicies {

    /**
     * A pod: its namespace and the namespace's labels, its labels and its named container ports; an
     * address only for endpoints outside the cluster, which only ipBlock peers match.
     */
    record Pod(String namespace, Map<String, String> namespaceLabels, Map<String, String> labels, Map<String, Integer> ports, String address) {
        Pod(String namespace, Map<String, String> namespaceLabels, Map<String, String> labels, Map<String, Integer> ports) {
            this(namespace, namespaceLabels, labels, ports, null);
        }
    }

    private final String namespace;
    private final List<JsonNode> policies;

    NetworkPolicies(String namespace, List<? extends JsonNode> objects) {
        this.namespace = namespace;
        this.policies = objects.stream().filter(o -> "NetworkPolicy".equals(Manifests.kind(o))).map(o -> (JsonNode) o).toList();
    }

    /** The pod a workload runs, with its named ports, in the policies' namespace. */
    static Pod podOf(JsonNode workload, String namespace) {
        Map<String, String> labels = new HashMap<>();
        Manifests.podTemplate(workload).path("metadata").path("labels").fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        Map<String, Integer> ports = new HashMap<>();
        for (JsonNode container : Manifests.containers(Manifests.podSpec(workload))) {
            for (JsonNode port : container.path("ports")) {
                ports.put(port.path("name").asText(), port.path("containerPort").asInt());
            }
        }
        return new Pod(namespace, Map.of("kubernetes.io/metadata.name", namespace), labels, ports);
    }

    static Pod outside(String namespace, Map<String, String> labels) {
        return new Pod(namespace, Map.of("kubernetes.io/metadata.name", namespace), labels, Map.of());
    }

    /** Whether {@code from} may connect to {@code to} on the named or numbered port of {@code to}. */
    boolean allows(Pod from, Pod to, String port) {
        int number = to.ports().containsKey(port) ? to.ports().get(port) : parse(port);
        boolean egress = !from.namespace().equals(namespace) || allowed(from, to, "Egress", "to", number, port, to);
        boolean ingress = !to.namespace().equals(namespace) || allowed(to, from, "Ingress", "from", number, port, to);
        return egress && ingress;
    }

    private static int parse(String port) {
        try {
            return Integer.parseInt(port);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Whether the policies selecting {@code subject} for {@code direction} let {@code peer} through on the
     * port; {@code destination} resolves named ports.
     */
    private boolean allowed(Pod subject, Pod peer, String direction, String peersField, int number, String name, Pod destination) {
        boolean selected = false;
        for (JsonNode policy : policies) {
            JsonNode spec = policy.path("spec");
            if (!matches(spec.path("podSelector"), subject.labels()) || !types(spec).contains(direction)) {
                continue;
            }
            selected = true;
            for (JsonNode rule : spec.path(direction.toLowerCase())) {
                if (peerMatches(rule.path(peersField), peer) && portMatches(rule.path("ports"), number, name, destination)) {
                    return true;
                }
            }
        }
        return !selected;
    }

    private static List<String> types(JsonNode spec) {
        if (spec.has("policyTypes")) {
            return Manifests.texts(spec.path("policyTypes"));
        }
        return spec.has("egress") ? List.of("Ingress", "Egress") : List.of("Ingress");
    }

    private boolean peerMatches(JsonNode peers, Pod peer) {
        if (peers.isMissingNode() || peers.isEmpty()) {
            return true;
        }
        for (JsonNode p : peers) {
            if (p.has("ipBlock")) {
                if (peer.address() != null && inBlock(p.path("ipBlock"), peer.address())) {
                    return true;
                }
                continue;
            }
            boolean namespaceOk = p.has("namespaceSelector")
                    ? matches(p.path("namespaceSelector"), peer.namespaceLabels())
                    : peer.namespace().equals(namespace);
            boolean podOk = !p.has("podSelector") || matches(p.path("podSelector"), peer.labels());
            if (namespaceOk && podOk) {
                return true;
            }
        }
        return false;
    }

    private static boolean portMatches(JsonNode ports, int number, String name, Pod destination) {
        if (ports.isMissingNode() || ports.isEmpty()) {
            return true;
        }
        for (JsonNode p : ports) {
            if (!"TCP".equals(p.path("protocol").asText("TCP"))) {
                continue;
            }
            JsonNode port = p.path("port");
            if (port.isMissingNode()) {
                return true;
            }
            if (port.isInt() && port.asInt() == number) {
                return true;
            }
            if (port.isTextual()) {
                Integer resolved = destination.ports().get(port.asText());
                if (port.asText().equals(name) || resolved != null && resolved == number) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean inBlock(JsonNode ipBlock, String address) {
        if (!inCidr(ipBlock.path("cidr").asText(), address)) {
            return false;
        }
        for (JsonNode except : ipBlock.path("except")) {
            if (inCidr(except.asText(), address)) {
                return false;
            }
        }
        return true;
    }

    /** IPv4 only, which is all our policies name. */
    static boolean inCidr(String cidr, String address) {
        String[] parts = cidr.split("/");
        int bits = Integer.parseInt(parts[1]);
        long mask = bits == 0 ? 0 : 0xFFFFFFFFL << (32 - bits) & 0xFFFFFFFFL;
        return (ipv4(parts[0]) & mask) == (ipv4(address) & mask);
    }

    private static long ipv4(String address) {
        long value = 0;
        for (String octet : address.split("\\.")) {
            value = value << 8 | Integer.parseInt(octet);
        }
        return value;
    }

    /** matchLabels only (our policies use no matchExpressions; one would fail loudly here). */
    static boolean matches(JsonNode selector, Map<String, String> labels) {
        if (selector.has("matchExpressions")) {
            throw new UnsupportedOperationException("matchExpressions are not modelled: " + selector);
        }
        for (var it = selector.path("matchLabels").fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
