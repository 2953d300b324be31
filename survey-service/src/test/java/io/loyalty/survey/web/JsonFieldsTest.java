package io.loyalty.survey.web;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JsonFieldsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Object[] read(String json, java.util.function.Function<JsonFields, Object> field) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode node = JSON.readTree(json);
        Object value = field.apply(new JsonFields(node, "items[2].", errors));
        return new Object[]{value, errors};
    }

    @Test
    void integersAcceptWholeFloatsAndRejectEverythingElse() {
        assertThat(read("{\"s\": 7}", f -> f.integer("s", true, 0, 10))[0]).isEqualTo(7);
        assertThat(read("{\"s\": 7.0}", f -> f.integer("s", true, 0, 10))[0]).isEqualTo(7);
        assertThat(read("{\"s\": 7e0}", f -> f.integer("s", true, 0, 10))[0]).isEqualTo(7);
        for (String bad : new String[]{"7.5", "\"7\"", "true", "[7]", "1e400", "-1e400", "1e30",
                "123456789012345678901234567890", "11", "-1"}) {
            Object[] r = read("{\"s\": " + bad + "}", f -> f.integer("s", true, 0, 10));
            assertThat(r[0]).as(bad).isNull();
            assertThat((List<?>) r[1]).as(bad).hasSize(1)
                    .first().extracting(e -> ((FieldError) e).field()).isEqualTo("items[2].s");
        }
    }

    @Test
    void timestampsNeedAnOffsetAndKeepMicroseconds() {
        assertThat(read("{\"t\": \"2026-03-02T00:30:00.1234567+01:00\"}", f -> f.timestamp("t", true))[0])
                .isEqualTo(Instant.parse("2026-03-01T23:30:00.123456Z"));
        for (String bad : new String[]{"\"2026-03-01T10:15:00\"", "\"2026-03-01\"", "1700000000", "\"\""}) {
            Object[] r = read("{\"t\": " + bad + "}", f -> f.timestamp("t", true));
            assertThat(r[0]).as(bad).isNull();
            assertThat((List<?>) r[1]).as(bad).hasSize(1);
        }
    }

    @Test
    void requiredAndNullFields() {
        Object[] missing = read("{}", f -> f.string("name", true, 10));
        assertThat((List<?>) missing[1]).extracting(e -> ((FieldError) e).message()).containsExactly("is required");
        Object[] nul = read("{\"name\": null}", f -> f.string("name", true, 10));
        assertThat((List<?>) nul[1]).hasSize(1);
        Object[] blankText = read("{\"c\": \"   \"}", f -> f.text("c", 10));
        assertThat(blankText[0]).isNull();
        assertThat((List<?>) blankText[1]).isEmpty();
    }
}
