package io.loyalty.ticket.policy;

/** The body of {@code PUT /api/v1/sla-policies/{priority}}; without business hours the clock runs 24/7. */
public record SlaPolicyBody(Integer firstResponseMinutes, Integer resolutionMinutes, BusinessHoursBody businessHours) {
}
