package io.loyalty.ticket.web;

/** One invalid input field; batches prefix the field with the item, e.g. {@code events[3].type}. */
public record FieldError(String field, String message) {
}
