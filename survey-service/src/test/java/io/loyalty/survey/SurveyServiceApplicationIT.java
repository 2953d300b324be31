package io.loyalty.survey;

import org.junit.jupiter.api.Test;

class SurveyServiceApplicationIT extends IntegrationTest {

    @Test
    void readinessIsUpAgainstARealDatabase() {
        web.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.r2dbc.status").isEqualTo("UP")
                .jsonPath("$.components.r2dbc.details.database").isEqualTo("PostgreSQL");
    }

    @Test
    void livenessIsUp() {
        web.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void prometheusMetricsAreExposed() {
        web.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> org.assertj.core.api.Assertions.assertThat(body)
                        .contains("jvm_memory_used_bytes"));
    }

    @Test
    void openApiDocumentDescribesTheEndpoints() {
        web.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.paths['/api/v1/surveys'].post").exists()
                .jsonPath("$.paths['/api/v1/surveys/{surveyId}/responses/batch'].post").exists()
                .jsonPath("$.paths['/api/v1/surveys/{surveyId}/results'].get").exists()
                .jsonPath("$.paths['/api/v1/customers/{customerId}/satisfaction'].get").exists()
                .jsonPath("$.paths['/api/v1/customers/{customerId}/responses'].delete").exists()
                .jsonPath("$.components.schemas.SurveyResponseBatchRequest").exists();
    }
}
