package io.loyalty.clv.campaign;

import java.util.Arrays;
import java.util.Locale;

/** The two rankings; the names are the path segments and the JSON values. */
public enum CampaignKind {
    UPSELL("upsell_rank", "upsell_score"),
    RETENTION("retention_rank", "retention_score");

    final String rankColumn;
    final String scoreColumn;

    CampaignKind(String rankColumn, String scoreColumn) {
        this.rankColumn = rankColumn;
        this.scoreColumn = scoreColumn;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static CampaignKind parse(String field, String value) {
        return Arrays.stream(values()).filter(k -> k.label().equals(value)).findFirst()
                .orElseThrow(() -> ApiProblem.invalid(field, "must be upsell or retention"));
    }
}
