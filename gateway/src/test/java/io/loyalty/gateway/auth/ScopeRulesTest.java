package io.loyalty.gateway.auth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped application.yml gives every contract route the scope the contract implies. */
class ScopeRulesTest {

    private static final AuthenticationFilter FILTER = filter();

    private static AuthenticationFilter filter() {
        try {
            StandardEnvironment environment = new StandardEnvironment();
            new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yml"))
                    .forEach(environment.getPropertySources()::addLast);
            AuthProperties properties = Binder.get(environment).bind("loyalty.gateway.auth", AuthProperties.class).get();
            return new AuthenticationFilter(properties, null, null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "POST, /api/v1/surveys, surveys:write",
            "GET, /api/v1/surveys/s1, surveys:read",
            "POST, /api/v1/surveys/s1/responses, surveys:write",
            "POST, /api/v1/surveys/s1/responses/batch, surveys:write",
            "GET, /api/v1/surveys/s1/results, surveys:read",
            "GET, /api/v1/customers/c1/satisfaction, surveys:read",
            "DELETE, /api/v1/customers/c1/responses, surveys:write",
            "GET, /api/v1/surveys/s1/responses, surveys:read",
            "POST, /api/v1/tickets, tickets:write",
            "POST, /api/v1/tickets/t1/events, tickets:write",
            "POST, /api/v1/ticket-events/batch, tickets:write",
            "GET, /api/v1/sla-policies, tickets:read",
            "GET, /api/v1/tickets/t1, tickets:read",
            "GET, /api/v1/tickets, tickets:read",
            "GET, /api/v1/tickets/stats, tickets:read",
            "PUT, /api/v1/sla-policies/HIGH, tickets:write",
            "GET, /api/v1/customers/c1/service-stats, tickets:read",
            "POST, /api/v1/purchases/batch, purchases:write",
            "POST, /api/v1/referrals/batch, purchases:write",
            "POST, /api/v1/churn-events/batch, purchases:write",
            "GET, /api/v1/retention/cohorts, clv:read",
            "POST, /api/v1/scoring-runs, purchases:write",
            "GET, /api/v1/scoring-runs/r1, clv:read",
            "GET, /api/v1/customers/c1/value, clv:read",
            "GET, /api/v1/campaigns/upsell/customers, campaigns:read",
            "HEAD, /api/v1/campaigns/retention/customers, campaigns:read",
            "POST, /api/v1/campaigns, campaigns:write",
            "GET, /api/v1/campaigns/7/report, campaigns:read",
            "GET, /api/v1/scoring-runs/r1/service-impact, clv:read",
            "POST, /api/v1/admin/clients, admin",
            "GET, /api/v1/admin/clients, admin",
            "DELETE, /api/v1/admin/clients/x/keys/y, admin",
            "GET, /api/v1/usage, ''",
            // nothing names these: deny by default
            "GET, /actuator/gateway/routes, admin",
            "DELETE, /api/v1/campaigns/upsell/customers, admin",
            "GET, /api/v1/customers/c1/secrets, admin"
    })
    void requiredScope(String method, String path, String scope) {
        assertThat(FILTER.requiredScope(HttpMethod.valueOf(method), PathContainer.parsePath(path))).isEqualTo(scope);
    }
}
