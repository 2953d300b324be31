package io.loyalty.ticket.ticket;

public enum Priority {
    LOW, NORMAL, HIGH, URGENT
}
