package io.loyalty.ticket.stats;

import io.loyalty.ticket.AbstractIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StatsIT extends AbstractIT {

    @BeforeEach
    void data() {
        StatsFixture.load(new StatsFixture.Ops() {
            public void policy(String priority, int fr, int res) {
                StatsIT.this.policy(priority, fr, res, null);
            }

            public String ticket(String customer, String openedAt) {
                return StatsIT.this.ticket(customer, "URGENT", openedAt);
            }

            public void events(String ticket, String... typeAt) {
                StatsIT.this.events(ticket, typeAt);
            }
        });
    }

    @Test
    void aQuarterMatchesTheHandComputedFigures() {
        web.get().uri("/api/v1/tickets/stats?from=2019-01-01&to=2019-03-31").exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.from").isEqualTo("2019-01-01T00:00:00Z")
                .jsonPath("$.to").isEqualTo("2019-04-01T00:00:00Z")
                .jsonPath("$.tickets").isEqualTo(6)
                .jsonPath("$.firstResponse.medianSeconds").isEqualTo(1800.0)
                .jsonPath("$.firstResponse.p90Seconds").isEqualTo(5760.0)
                .jsonPath("$.resolution.medianSeconds").isEqualTo(5400.0)
                .jsonPath("$.resolution.p90Seconds").isEqualTo(7920.0)
                .jsonPath("$.slaBreachRate").value(r -> assertThat(((Number) r).doubleValue()).isCloseTo(4.0 / 6, within(1e-9)))
                .jsonPath("$.reopenRate").isEqualTo(0.25);
    }

    @Test
    void toIsExclusiveForTimestampsAndWholeDaysForDates() {
        web.get().uri("/api/v1/tickets/stats?from=2019-01-01T00:00:00Z&to=2019-03-31T23:59:59Z").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.tickets").isEqualTo(5);
        web.get().uri("/api/v1/tickets/stats?from=2019-03-31&to=2019-04-01").exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.tickets").isEqualTo(2)
                .jsonPath("$.slaBreachRate").isEqualTo(1.0)
                // nothing answered or solved: no figures rather than zeros
                .jsonPath("$.firstResponse.medianSeconds").isEmpty()
                .jsonPath("$.resolution.p90Seconds").isEmpty()
                .jsonPath("$.reopenRate").isEmpty();
    }

    @Test
    void anEmptyPeriodHasZeroTicketsAndNoRates() {
        web.get().uri("/api/v1/tickets/stats?from=2001-01-01&to=2001-12-31").exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.tickets").isEqualTo(0)
                .jsonPath("$.slaBreachRate").isEmpty()
                .jsonPath("$.firstResponse.medianSeconds").isEmpty();
    }

    @Test
    void badPeriodsAre400() {
        for (String query : new String[] {"", "?from=2019-01-01", "?from=2019-02-01&to=2019-01-01",
                "?from=2019-01-01&to=2019-01-01T00:00:00Z", "?from=yesterday&to=2019-01-01", "?from=2019-13-01&to=2020-01-01",
                "?from=2019-01-01T00:00:00&to=2020-01-01", "?from=1000-01-01&to=3000-01-01"}) {
            web.get().uri("/api/v1/tickets/stats" + query).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.status").isEqualTo(400).jsonPath("$.errors[0].field").isNotEmpty();
        }
    }

    @Test
    void customerStatsOverTheLast90Days() {
        web.get().uri("/api/v1/customers/{c}/service-stats?asOf=2019-03-15T00:00:00Z", StatsFixture.customerA)
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.customerId").isEqualTo(StatsFixture.customerA)
                .jsonPath("$.openTickets").isEqualTo(0)
                .jsonPath("$.ticketsLast90Days").isEqualTo(4)
                .jsonPath("$.slaBreachesLast90Days").isEqualTo(2)
                .jsonPath("$.reopensLast90Days").isEqualTo(1)
                .jsonPath("$.medianResolutionSeconds").isEqualTo(5400)
                .jsonPath("$.lastContactAt").isEqualTo("2019-02-15T11:30:00Z");
        // window (2019-01-20, 2019-04-20]: T1 and T2 (January 10/11) fall out
        web.get().uri("/api/v1/customers/{c}/service-stats?asOf=2019-04-20T00:00:00Z", StatsFixture.customerA)
                .exchange().expectBody()
                .jsonPath("$.ticketsLast90Days").isEqualTo(2)
                .jsonPath("$.slaBreachesLast90Days").isEqualTo(1);
        // B: T5 (FR breached) and T6, overdue since 2019-04-01T00:29:59Z; T7 overdue since 00:30
        web.get().uri("/api/v1/customers/{c}/service-stats?asOf=2019-04-01T00:30:00Z", StatsFixture.customerB)
                .exchange().expectBody()
                .jsonPath("$.openTickets").isEqualTo(3)
                .jsonPath("$.ticketsLast90Days").isEqualTo(3)
                .jsonPath("$.slaBreachesLast90Days").isEqualTo(2)
                .jsonPath("$.medianResolutionSeconds").isEmpty();
        web.get().uri("/api/v1/customers/{c}/service-stats?asOf=2019-04-01T00:30:01Z", StatsFixture.customerB)
                .exchange().expectBody().jsonPath("$.slaBreachesLast90Days").isEqualTo(3);
    }

    @Test
    void aCustomerWithoutTicketsHasZeroCounts() {
        web.get().uri("/api/v1/customers/nobody-at-all/service-stats").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.openTickets").isEqualTo(0).jsonPath("$.ticketsLast90Days").isEqualTo(0)
                .jsonPath("$.medianResolutionSeconds").isEmpty().jsonPath("$.lastContactAt").isEmpty();
        web.get().uri("/api/v1/customers/{c}/service-stats", "bad id with spaces").exchange().expectStatus().isBadRequest();
        web.get().uri("/api/v1/customers/x/service-stats?asOf=soon").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("asOf");
    }
}
