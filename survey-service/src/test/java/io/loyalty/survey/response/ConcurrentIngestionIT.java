package io.loyalty.survey.response;

import io.loyalty.survey.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentIngestionIT extends IntegrationTest {

    @Test
    void overlappingBatchesSentAtOnceStoreEachResponseExactlyOnce() {
        String survey = createSurvey("NPS");
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            items.add(Map.of("responseId", unique("r"), "customerId", unique("c"), "score", i % 11,
                    "respondedAt", "2026-03-01T10:00:00Z"));
        }
        // eight requests over the same 300 responses, half of them in reverse order
        List<List<Map<String, Object>>> batches = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            List<Map<String, Object>> copy = new ArrayList<>(items);
            if (i % 2 == 1) {
                Collections.reverse(copy);
            }
            batches.add(copy);
        }
        List<Map> results = Flux.fromIterable(batches)
                .parallel(8).runOn(Schedulers.boundedElastic())
                .map(batch -> web.post().uri("/api/v1/surveys/{id}/responses/batch", survey)
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("responses", batch))
                        .exchange()
                        .expectStatus().isOk()
                        .expectBody(Map.class).returnResult().getResponseBody())
                .sequential().collectList().block();
        long accepted = results.stream().mapToLong(r -> ((Number) r.get("accepted")).longValue()).sum();
        long duplicates = results.stream().mapToLong(r -> ((Number) r.get("duplicates")).longValue()).sum();
        assertThat(accepted).isEqualTo(300);
        assertThat(duplicates).isEqualTo(7 * 300);
        assertThat(scalar("SELECT count(*) FROM survey_response WHERE survey_id = '" + survey + "'")).isEqualTo(300);
        assertThat(scalar("SELECT sum(responses) FROM survey_rollup WHERE survey_id = '" + survey + "'")).isEqualTo(300);
    }
}
