package io.loyalty.clv.campaign;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Filters of a ranked list: minimum CLV, NPS category (NONE = never answered) and whether the
 * customer has open tickets. Null fields do not filter.
 */
public record RankingFilter(Double minClv, String npsCategory, Boolean openTickets) {

    static final Set<String> CATEGORIES = Set.of("PROMOTER", "PASSIVE", "DETRACTOR", "NONE");
    public static final RankingFilter NONE = new RankingFilter(null, null, null);

    /** Parses query or body values, collecting every problem so the answer names all bad fields. */
    static RankingFilter parse(String prefix, String minClv, String npsCategory, String openTickets,
                               List<ApiProblem.FieldError> errors) {
        Double clv = null;
        if (minClv != null) {
            try {
                BigDecimal value = new BigDecimal(minClv.trim());
                if (value.signum() < 0 || value.compareTo(BigDecimal.valueOf(1e15)) > 0) {
                    errors.add(new ApiProblem.FieldError(prefix + "minClv", "must be between 0 and 1e15"));
                } else {
                    clv = value.doubleValue();
                }
            } catch (NumberFormatException e) {
                errors.add(new ApiProblem.FieldError(prefix + "minClv", "must be a number"));
            }
        }
        String category = null;
        if (npsCategory != null) {
            category = npsCategory.trim().toUpperCase(Locale.ROOT);
            if (!CATEGORIES.contains(category)) {
                errors.add(new ApiProblem.FieldError(prefix + "npsCategory",
                        "must be PROMOTER, PASSIVE, DETRACTOR or NONE"));
                category = null;
            }
        }
        Boolean open = null;
        if (openTickets != null) {
            if (openTickets.equals("true") || openTickets.equals("false")) {
                open = Boolean.valueOf(openTickets);
            } else {
                errors.add(new ApiProblem.FieldError(prefix + "openTickets", "must be true or false"));
            }
        }
        return new RankingFilter(clv, category, open);
    }

    /** SQL conditions over campaign_run_customer, binding from parameter index {@code firstParam}. */
    Sql where(int firstParam) {
        List<Object> binds = new ArrayList<>();
        String text = conditions(value -> {
            binds.add(value);
            return "$" + (firstParam + binds.size() - 1);
        });
        return new Sql(text, binds);
    }

    /**
     * The same conditions with the values written into the text by {@code literal} (a statement that takes no
     * parameters, such as COPY); the value is a Double (minClv) or a String (npsCategory).
     */
    String whereLiterals(Function<Object, String> literal) {
        return conditions(literal);
    }

    private String conditions(Function<Object, String> value) {
        List<String> conditions = new ArrayList<>();
        if (minClv != null) {
            conditions.add("clv >= " + value.apply(minClv));
        }
        if (npsCategory != null) {
            if (npsCategory.equals("NONE")) {
                conditions.add("nps_category IS NULL");
            } else {
                conditions.add("nps_category = " + value.apply(npsCategory));
            }
        }
        if (openTickets != null) {
            conditions.add(openTickets ? "open_tickets > 0" : "coalesce(open_tickets, 0) = 0");
        }
        return conditions.isEmpty() ? "" : " AND " + String.join(" AND ", conditions);
    }

    record Sql(String text, List<Object> binds) {
    }
}
