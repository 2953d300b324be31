package io.loyalty.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates objects against the Kubernetes 1.30 API schemas that fabric8's kubernetes-model 6.13 jars
 * ship ({@code schema/validation-schema.json}, generated from the Kubernetes Go types), made strict the
 * way {@code kubectl --validate=strict} is:
 * <ul>
 *   <li>no field a type does not declare ({@code additionalProperties: false}), so a misspelt field fails;</li>
 *   <li>fabric8's only required marks are on apiVersion and kind, which embedded objects (a StatefulSet's
 *       volumeClaimTemplates) may omit: they are dropped, and a top-level object without a known apiVersion
 *       and kind fails the schema lookup instead;</li>
 *   <li>types with their own wire format, which the generator describes as the Java classes it maps them to,
 *       get their real format back: IntOrString (integer or string), Quantity (string or number),
 *       Time and MicroTime (string);</li>
 *   <li>the generator's Java hints ({@code javaType}, {@code existingJavaType}, ...) are dropped.</li>
 * </ul>
 */
final class KubernetesSchemas {

    static final String KUBERNETES_VERSION = "1.30";
    private static final String SCHEMA_RESOURCE = "schema/validation-schema.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static volatile KubernetesSchemas instance;

    private final ObjectNode definitions;
    /** "apps/v1 Deployment" -> definition name */
    private final Map<String, String> byKind;
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);

    private KubernetesSchemas(ObjectNode definitions, Map<String, String> byKind) {
        this.definitions = definitions;
        this.byKind = byKind;
    }

    static KubernetesSchemas get() {
        if (instance == null) {
            synchronized (KubernetesSchemas.class) {
                if (instance == null) {
                    instance = load();
                }
            }
        }
        return instance;
    }

    private static KubernetesSchemas load() {
        ObjectNode definitions = NODES.objectNode();
        try {
            List<URL> sources = Collections.list(KubernetesSchemas.class.getClassLoader().getResources(SCHEMA_RESOURCE));
            if (sources.isEmpty()) {
                throw new IllegalStateException("no " + SCHEMA_RESOURCE + " on the test classpath (fabric8 kubernetes-model jars)");
            }
            for (URL source : sources) {
                try (InputStream in = source.openStream()) {
                    JsonNode schema = JSON.readTree(in);
                    schema.path("definitions").fields().forEachRemaining(e -> definitions.set(e.getKey(), e.getValue()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> byKind = new TreeMap<>();
        List<String> names = new ArrayList<>();
        definitions.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode definition = definitions.get(name);
            JsonNode wire = wireFormat(name, definition);
            if (wire != null) {
                definitions.set(name, wire);
                continue;
            }
            JsonNode properties = definition.path("properties");
            String apiVersion = properties.path("apiVersion").path("default").asText("");
            String kind = properties.path("kind").path("default").asText("");
            if (!apiVersion.isEmpty() && !kind.isEmpty()) {
                byKind.putIfAbsent(apiVersion + " " + kind, name);
            }
            definitions.set(name, strict(definition));
        }
        return new KubernetesSchemas(definitions, byKind);
    }

    /** The JSON form of a type the generator describes by its Java mapping, or null for ordinary types. */
    private static JsonNode wireFormat(String name, JsonNode definition) {
        if (name.endsWith("_IntOrString")) {
            return anyOf("integer", "string");
        }
        if (name.endsWith("_Quantity")) {
            return anyOf("string", "number");
        }
        if ((name.endsWith("_Time") || name.endsWith("_MicroTime")) && definition.has("properties")) {
            return NODES.objectNode().put("type", "string");
        }
        return null;
    }

    private static JsonNode anyOf(String... types) {
        ObjectNode node = NODES.objectNode();
        ArrayNode options = node.putArray("anyOf");
        for (String type : types) {
            options.addObject().put("type", type);
        }
        return node;
    }

    /** A copy of a schema with unknown fields forbidden and fabric8's Java hints and required marks dropped. */
    static JsonNode strict(JsonNode schema) {
        if (!(schema instanceof ObjectNode source)) {
            return schema;
        }
        ObjectNode copy = NODES.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            if (key.startsWith("java") || key.equals("existingJavaType") || key.equals("required") && field.getValue().isBoolean()) {
                continue;
            }
            JsonNode value = field.getValue();
            switch (key) {
                case "properties" -> {
                    ObjectNode properties = copy.putObject("properties");
                    value.fields().forEachRemaining(p -> properties.set(p.getKey(), strict(p.getValue())));
                }
                case "items" -> copy.set("items", strict(value));
                case "additionalProperties" -> copy.set("additionalProperties", value.isObject() ? strict(value) : value);
                default -> copy.set(key, value);
            }
        }
        if (copy.has("properties") && (!copy.has("additionalProperties") || copy.get("additionalProperties").asBoolean(false))) {
            copy.put("additionalProperties", false);
        }
        return copy;
    }

    /** Violations of one object, each as "Kind/name: $.path: message"; empty when it is valid. */
    List<String> validate(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        String definition = byKind.get(apiVersion + " " + kind);
        String id = Manifests.id(object);
        if (definition == null) {
            return List.of(id + ": no Kubernetes " + KUBERNETES_VERSION + " schema for apiVersion '" + apiVersion
                    + "' kind '" + kind + "'");
        }
        JsonSchema schema = compiled.computeIfAbsent(definition, this::compile);
        List<String> violations = new ArrayList<>();
        for (ValidationMessage message : schema.validate(object)) {
            violations.add(id + ": " + message.getMessage());
        }
        Collections.sort(violations);
        return violations;
    }

    private JsonSchema compile(String definition) {
        ObjectNode root = NODES.objectNode();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.putArray("allOf").addObject().put("$ref", "#/definitions/" + definition);
        root.set("definitions", definitions);
        return factory.getSchema(root);
    }

    int kinds() {
        return byKind.size();
    }
}
