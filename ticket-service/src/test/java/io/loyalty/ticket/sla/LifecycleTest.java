package io.loyalty.ticket.sla;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LifecycleTest {

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource({
            "NEW, AGENT_REPLY, OPEN",
            "NEW, CUSTOMER_REPLY, NEW",
            "NEW, PENDING, PENDING",
            "NEW, ON_HOLD, ON_HOLD",
            "NEW, SOLVED, SOLVED",
            "OPEN, AGENT_REPLY, OPEN",
            "OPEN, CUSTOMER_REPLY, OPEN",
            "OPEN, PENDING, PENDING",
            "OPEN, ON_HOLD, ON_HOLD",
            "OPEN, SOLVED, SOLVED",
            "PENDING, AGENT_REPLY, PENDING",
            "PENDING, CUSTOMER_REPLY, OPEN",
            "PENDING, ON_HOLD, ON_HOLD",
            "PENDING, SOLVED, SOLVED",
            "ON_HOLD, AGENT_REPLY, ON_HOLD",
            "ON_HOLD, CUSTOMER_REPLY, OPEN",
            "ON_HOLD, PENDING, PENDING",
            "ON_HOLD, SOLVED, SOLVED",
            "SOLVED, CUSTOMER_REPLY, OPEN",
            "SOLVED, REOPENED, OPEN",
            "SOLVED, CLOSED, CLOSED",
    })
    void allowed(TicketStatus from, TicketEventType event, TicketStatus to) {
        assertThat(Lifecycle.next(from, event)).isEqualTo(to);
    }

    @ParameterizedTest(name = "{0} + {1} is rejected")
    @CsvSource({
            "NEW, REOPENED", "NEW, CLOSED",
            "OPEN, REOPENED", "OPEN, CLOSED",
            "PENDING, PENDING", "PENDING, REOPENED", "PENDING, CLOSED",
            "ON_HOLD, ON_HOLD", "ON_HOLD, REOPENED", "ON_HOLD, CLOSED",
            "SOLVED, AGENT_REPLY", "SOLVED, PENDING", "SOLVED, ON_HOLD", "SOLVED, SOLVED",
            "CLOSED, AGENT_REPLY", "CLOSED, CUSTOMER_REPLY", "CLOSED, PENDING", "CLOSED, ON_HOLD",
            "CLOSED, SOLVED", "CLOSED, REOPENED", "CLOSED, CLOSED",
    })
    void rejected(TicketStatus from, TicketEventType event) {
        assertThatThrownBy(() -> Lifecycle.next(from, event))
                .isInstanceOfSatisfying(TransitionRejected.class,
                        e -> assertThat(e.reason()).isEqualTo(TransitionRejected.Reason.ILLEGAL_TRANSITION));
    }

    @ParameterizedTest
    @CsvSource({"SOLVED, REOPENED, true", "SOLVED, CUSTOMER_REPLY, true", "OPEN, CUSTOMER_REPLY, false",
            "PENDING, CUSTOMER_REPLY, false"})
    void reopens(TicketStatus from, TicketEventType event, boolean reopens) {
        assertThat(Lifecycle.reopens(from, event)).isEqualTo(reopens);
    }
}
