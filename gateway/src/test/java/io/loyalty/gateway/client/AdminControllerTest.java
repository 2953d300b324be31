package io.loyalty.gateway.client;

import io.loyalty.gateway.ratelimit.RateLimitPolicy;
import io.loyalty.gateway.web.Problems;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AdminControllerTest {

    @Test
    void parsesAValidClientTrimmingTheNameAndDroppingDuplicateScopes() {
        AdminController.NewClient client = AdminController.parse(
                "{\"name\":\"  crm  \",\"scopes\":[\"tickets:read\",\"tickets:read\",\"admin\"],"
                        + "\"rateLimit\":{\"requestsPerSecond\":2.5,\"burst\":10,\"dailyQuota\":5000},\"extra\":true}");
        assertThat(client.name()).isEqualTo("crm");
        assertThat(client.scopes()).containsExactly("tickets:read", "admin");
        assertThat(client.rateLimit()).isEqualTo(new RateLimitPolicy(2.5, 10, 5000L));
    }

    @Test
    void reportsEveryInvalidFieldAtOnce() {
        Problems.ProblemException problem = catchThrowableOfType(Problems.ProblemException.class, () -> AdminController.parse(
                "{\"name\":" + "\"" + "n".repeat(101) + "\",\"scopes\":[\"surveys:read\",null],"
                        + "\"rateLimit\":{\"requestsPerSecond\":1e9,\"burst\":0}}"));
        assertThat(problem.status().value()).isEqualTo(400);
        assertThat(problem.errors()).extracting(Problems.FieldError::field)
                .containsExactly("name", "scopes[1]", "rateLimit.requestsPerSecond", "rateLimit.burst");
    }

    @Test
    void malformedJsonIsA400NotAServerError() {
        for (String body : List.of("{\"name\":", "null", "42", "nope")) {
            Problems.ProblemException problem = catchThrowableOfType(Problems.ProblemException.class,
                    () -> AdminController.parse(body));
            assertThat(problem.status().value()).as(body).isEqualTo(400);
        }
    }
}
