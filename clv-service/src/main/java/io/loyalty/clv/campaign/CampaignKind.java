package io.loyalty.clv.campaign;

import java.util.Arrays;
import java.util.Locale;

/** The two rankings; the names are the path segments and the JSON values. */
public enum CampaignKind {
    UPSELL("upsell_rank", "upsell_score", "upsell_reasons"),
    RETENTION("retention_rank", "retention_score", "retention_reasons");

    final String rankColumn;
    final String scoreColumn;
    final String reasonsColumn;

    CampaignKind(String rankColumn, String scoreColumn, String reasonsColumn) {
        this.rankColumn = rankColumn;
        this.scoreColumn = scoreColumn;
        this.reasonsColumn = reasonsColumn;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static CampaignKind parse(String field, String value) {
        return Arrays.stream(values()).filter(k -> k.label().equals(value)).findFirst()
                .orElseThrow(() -> ApiProblem.invalid(field, "must be upsell or retention"));
    }
}
