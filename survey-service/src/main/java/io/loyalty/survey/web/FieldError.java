package io.loyalty.survey.web;

/** One invalid input field; batch fields start with the item index, e.g. {@code responses[3].score}. */
public record FieldError(String field, String message) {
}
