package io.loyalty.ticket.ticket;

public enum Channel {
    EMAIL, CHAT, PHONE, SOCIAL, WEB
}
