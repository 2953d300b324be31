package io.loyalty.ticket.sla;

public enum TicketEventType {
    AGENT_REPLY, CUSTOMER_REPLY, PENDING, ON_HOLD, SOLVED, REOPENED, CLOSED
}
