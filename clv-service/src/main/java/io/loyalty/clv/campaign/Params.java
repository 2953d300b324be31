package io.loyalty.clv.campaign;

import java.util.List;

/** Query parameter parsing with the answers the API contract promises (400 problem, never a 500). */
final class Params {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private Params() {
    }

    static int limit(String value, List<ApiProblem.FieldError> errors) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new ApiProblem.FieldError("limit", "must be an integer from 1 to " + MAX_LIMIT));
        return DEFAULT_LIMIT;
    }

    /** A run id: a positive integer. */
    static Long runId(String field, String value, List<ApiProblem.FieldError> errors) {
        if (value == null) {
            return null;
        }
        try {
            long id = Long.parseLong(value.trim());
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new ApiProblem.FieldError(field, "must be a scoring run id (a positive integer)"));
        return null;
    }

    static void check(List<ApiProblem.FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
    }
}
