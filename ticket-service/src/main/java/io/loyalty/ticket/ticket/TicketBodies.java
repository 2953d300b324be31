package io.loyalty.ticket.ticket;

import java.util.List;

/** Request bodies as received: raw strings, so every bad value becomes a field error, not a parse failure. */
final class TicketBodies {

    private TicketBodies() {
    }

    record CreateTicket(String externalId, String customerId, String subject, String priority, String channel,
                        String openedAt) {
    }

    record Event(String eventId, String type, String at) {
    }

    record BatchEvent(String ticketId, String eventId, String type, String at) {
    }

    record EventBatch(List<BatchEvent> events) {
    }

    record BatchResult(int accepted, int duplicates) {
    }
}
