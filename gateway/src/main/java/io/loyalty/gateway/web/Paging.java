package io.loyalty.gateway.web;

import org.springframework.http.HttpStatus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** {@code ?limit=&cursor=} over lists ordered by UUID; the cursor is opaque to clients. */
public record Paging(int limit, UUID after) {

    public static Paging parse(String limitParam, String cursorParam) {
        List<Problems.FieldError> errors = new ArrayList<>();
        int limit = 100;
        if (limitParam != null) {
            try {
                limit = Integer.parseInt(limitParam.trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 1000) {
                errors.add(new Problems.FieldError("limit", "must be an integer from 1 to 1000"));
            }
        }
        UUID after = null;
        if (cursorParam != null) {
            try {
                after = UUID.fromString(new String(Base64.getUrlDecoder().decode(cursorParam), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                errors.add(new Problems.FieldError("cursor", "is not a cursor this API returned"));
            }
        }
        if (!errors.isEmpty()) {
            throw new Problems.ProblemException(HttpStatus.BAD_REQUEST, "validation", "Invalid query parameters", errors);
        }
        return new Paging(limit, after);
    }

    /** Fetch {@code limit + 1} rows and pass them here: the extra row only says whether there is a next page. */
    public <T> Map<String, Object> page(List<T> rows, Function<T, UUID> id, Function<T, Object> view) {
        boolean more = rows.size() > limit;
        List<T> items = more ? rows.subList(0, limit) : rows;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items.stream().map(view).toList());
        body.put("nextCursor", more ? Base64.getUrlEncoder().withoutPadding()
                .encodeToString(id.apply(items.get(items.size() - 1)).toString().getBytes(StandardCharsets.UTF_8)) : null);
        return body;
    }
}
