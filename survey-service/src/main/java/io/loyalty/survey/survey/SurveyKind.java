package io.loyalty.survey.survey;

import java.util.Set;

/** What a survey asks and on which scale its scores lie. */
public enum SurveyKind {
    /** Net Promoter Score: 0-10, fixed. */
    NPS(0, Set.of(10), 10),
    /** Customer satisfaction: 1-5; 4 and 5 count as satisfied. */
    CSAT(1, Set.of(5), 5),
    /** Customer effort score: 1-5 or 1-7. */
    CES(1, Set.of(5, 7), 7);

    private final int scaleMin;
    private final Set<Integer> allowedScaleMax;
    private final int defaultScaleMax;

    SurveyKind(int scaleMin, Set<Integer> allowedScaleMax, int defaultScaleMax) {
        this.scaleMin = scaleMin;
        this.allowedScaleMax = allowedScaleMax;
        this.defaultScaleMax = defaultScaleMax;
    }

    public int scaleMin() {
        return scaleMin;
    }

    public boolean allowsScale(int scaleMax) {
        return allowedScaleMax.contains(scaleMax);
    }

    public Set<Integer> allowedScales() {
        return allowedScaleMax;
    }

    public int defaultScaleMax() {
        return defaultScaleMax;
    }

    public static SurveyKind parse(String text) {
        for (SurveyKind kind : values()) {
            if (kind.name().equals(text)) {
                return kind;
            }
        }
        return null;
    }
}
