package io.loyalty.survey.satisfaction;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A customer's latest NPS, CSAT and CES answers; kinds never answered are absent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CustomerSatisfaction(String customerId, NpsAnswer nps, ScoreAnswer csat, ScoreAnswer ces) {

    public record NpsAnswer(int score, Signal.NpsCategory category, Instant respondedAt, UUID surveyId,
                            String responseId) {
    }

    /** scale: upper end of the scale the score was given on (5 for CSAT, 5 or 7 for CES). */
    public record ScoreAnswer(int score, int scale, Instant respondedAt, UUID surveyId, String responseId) {
    }

    public static CustomerSatisfaction of(String customerId, List<Signal> signals) {
        NpsAnswer nps = null;
        ScoreAnswer csat = null;
        ScoreAnswer ces = null;
        for (Signal s : signals) {
            switch (s.kind()) {
                case NPS -> nps = new NpsAnswer(s.score(), Signal.category(s.score()), s.respondedAt(), s.surveyId(),
                        s.responseId());
                case CSAT -> csat = new ScoreAnswer(s.score(), s.scale(), s.respondedAt(), s.surveyId(), s.responseId());
                case CES -> ces = new ScoreAnswer(s.score(), s.scale(), s.respondedAt(), s.surveyId(), s.responseId());
            }
        }
        return new CustomerSatisfaction(customerId, nps, csat, ces);
    }
}
