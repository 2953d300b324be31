package io.loyalty.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The schema check is strict everywhere, not only at the top: a field no Kubernetes type declares is
 * rejected wherever it is put in what the overlays render, except inside the string maps that accept
 * any key by design (labels, annotations, ConfigMap and Secret data, matchLabels, resource lists, a
 * Service's selector).
 */
class SchemaStrictnessTest {

    private static final Set<String> FREE_FORM_MAPS = Set.of("labels", "annotations", "data", "stringData", "matchLabels",
            "requests", "limits", "nodeSelector");

    @ParameterizedTest
    @ValueSource(strings = {"overlays/local", "overlays/production"})
    void anUnknownFieldIsRejectedAtEveryTypedPosition(String overlay) {
        KubernetesSchemas schemas = KubernetesSchemas.get();
        List<String> accepted = new ArrayList<>();
        int positions = 0;
        for (ObjectNode original : Overlays.rendered(overlay)) {
            List<String> pointers = new ArrayList<>();
            collectObjects(original, "", pointers);
            for (String pointer : pointers) {
                ObjectNode copy = original.deepCopy();
                ((ObjectNode) copy.at(pointer)).put("zzNotAKubernetesField", "x");
                positions++;
                if (schemas.validate(copy).isEmpty()) {
                    accepted.add(Manifests.id(original) + " " + pointer);
                }
            }
        }
        assertThat(positions).isGreaterThan(300);
        assertThat(accepted).as("positions that took an unknown field").allSatisfy(where -> {
            String field = where.substring(where.lastIndexOf('/') + 1);
            assertThat(FREE_FORM_MAPS.contains(field) || where.matches("Service/\\S+ /spec/selector")).as(where).isTrue();
        });
    }

    private static void collectObjects(JsonNode node, String pointer, List<String> out) {
        if (node instanceof ObjectNode object) {
            out.add(pointer.isEmpty() ? "" : pointer);
            object.fields().forEachRemaining(e -> collectObjects(e.getValue(), pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1"), out));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                collectObjects(array.get(i), pointer + "/" + i, out);
            }
        }
    }
}
