package io.loyalty.ticket.sla;

public enum TicketStatus {
    NEW, OPEN, PENDING, ON_HOLD, SOLVED, CLOSED;

    /** The SLA clock runs while the ticket waits on the support team (Zendesk's "agent work time"). */
    public boolean clockRuns() {
        return this == NEW || this == OPEN;
    }

    public boolean isOpen() {
        return this != SOLVED && this != CLOSED;
    }
}
