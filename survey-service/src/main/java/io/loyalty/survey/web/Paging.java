package io.loyalty.survey.web;

import io.loyalty.survey.config.SurveyProperties;

import java.util.List;

/** Lists are {"items": [...], "nextCursor": "..." | null}. */
public final class Paging {

    public record Page<T>(List<T> items, String nextCursor) {
    }

    private Paging() {
    }

    public static int limit(String text, SurveyProperties properties) {
        if (text == null) {
            return properties.defaultPageSize();
        }
        int limit;
        try {
            limit = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit", "must be an integer between 1 and " + properties.maxPageSize());
        }
        if (limit < 1 || limit > properties.maxPageSize()) {
            throw ApiException.badRequest("limit", "must be an integer between 1 and " + properties.maxPageSize());
        }
        return limit;
    }
}
