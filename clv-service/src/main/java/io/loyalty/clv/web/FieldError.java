package io.loyalty.clv.web;

/** One invalid input field of a problem+json answer, e.g. {@code purchases[3].amount}. */
public record FieldError(String field, String message) {
}
