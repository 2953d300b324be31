package io.loyalty.survey.satisfaction;

import io.loyalty.survey.survey.SurveyKind;

import java.time.Instant;
import java.util.UUID;

/** The latest answer of one customer to surveys of one kind. */
public record Signal(String customerId, SurveyKind kind, int score, int scale, Instant respondedAt, UUID surveyId,
                     String responseId) {

    /** NPS category of a 0-10 score: 9-10 promoter, 7-8 passive, 0-6 detractor. */
    public static NpsCategory category(int score) {
        return score >= 9 ? NpsCategory.PROMOTER : score >= 7 ? NpsCategory.PASSIVE : NpsCategory.DETRACTOR;
    }

    public enum NpsCategory { PROMOTER, PASSIVE, DETRACTOR }
}
