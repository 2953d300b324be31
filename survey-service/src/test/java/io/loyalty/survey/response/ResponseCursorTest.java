package io.loyalty.survey.response;

import io.loyalty.survey.web.ApiException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResponseCursorTest {

    @Test
    void roundTripsMicrosecondsAndIdsWithColons() {
        ResponseCursor cursor = new ResponseCursor(Instant.parse("2026-03-01T10:15:00.123456Z"), "r:1:ä");
        assertThat(ResponseCursor.decode(cursor.encode())).isEqualTo(cursor);
    }

    @Test
    void rejectsGarbage() {
        for (String bad : new String[]{"!!!", "abc", b64("x.y:z"), b64("1.2"), b64("1.9999999:z"),
                b64("99999999999999.0:z"), b64("1.-5:z")}) {
            assertThatThrownBy(() -> ResponseCursor.decode(bad)).as(bad).isInstanceOf(ApiException.class)
                    .hasMessageContaining("cursor");
        }
    }

    private static String b64(String raw) {
        return Base64.getUrlEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }
}
