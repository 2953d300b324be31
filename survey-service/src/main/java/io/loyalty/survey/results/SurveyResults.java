package io.loyalty.survey.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.loyalty.survey.survey.SurveyKind;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * Results of one survey over a period. Only the block of the survey's kind is present. Series points carry
 * the kind's headline score and its uncertainty: marginOfError95 for NPS, ciLow95/ciHigh95 for CSAT and CES;
 * undefined values are null (no responses in the period, or one response for the NPS margin and the CES
 * interval).
 */
public record SurveyResults(UUID surveyId, SurveyKind kind, int scale, LocalDate from, LocalDate to,
                            String channel, Interval interval, long responses,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Statistics.Nps nps,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Statistics.Csat csat,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Statistics.Ces ces,
                            List<ScoreCount> distribution,
                            List<SeriesPoint> series) {

    /** One period of the series; the fields depend on the survey's kind. */
    public sealed interface SeriesPoint permits NpsPoint, IntervalPoint {
        LocalDate periodStart();

        long responses();

        Double score();
    }

    /** An NPS period: score with its margin of error. */
    public record NpsPoint(LocalDate periodStart, long responses, Double score, Double marginOfError95)
            implements SeriesPoint {
    }

    /** A CSAT (score = % satisfied) or CES (score = mean) period with its 95% interval. */
    public record IntervalPoint(LocalDate periodStart, long responses, Double score, Double ciLow95, Double ciHigh95)
            implements SeriesPoint {
    }

    /** How many answers gave each score of the scale (zeros included). */
    public record ScoreCount(int score, long responses) {
    }
}
