package io.loyalty.clv.retention;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.loyalty.clv.web.ApiException;
import io.loyalty.clv.web.FieldError;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Retention cohorts and per-period retention / churn rates. */
@RestController
public class RetentionController {

    /** Longest span of months a report covers: a 100 x 100 table is already more than anyone reads. */
    static final int MAX_MONTHS = 120;

    private final RetentionQueries queries;
    private final Clock clock;

    public RetentionController(RetentionQueries queries, ObjectProvider<Clock> clock) {
        this.queries = queries;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @GetMapping("/api/v1/retention/cohorts")
    public Mono<Map<String, Object>> cohorts(@RequestParam(required = false) String from,
                                             @RequestParam(required = false) String to,
                                             @RequestParam(required = false, defaultValue = "month") String period) {
        List<FieldError> errors = new ArrayList<>();
        if (!period.equals("month")) {
            errors.add(new FieldError("period", "must be month"));
        }
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate toDate = date("to", to, today, errors);
        LocalDate fromDate = date("from", from, toDate == null ? today.minusMonths(11) : toDate.minusMonths(11), errors);
        if (fromDate != null && toDate != null) {
            LocalDate fromMonth = fromDate.withDayOfMonth(1);
            LocalDate toMonth = toDate.withDayOfMonth(1);
            if (toMonth.isBefore(fromMonth)) {
                errors.add(new FieldError("to", "must not be before from"));
            } else if (ChronoUnit.MONTHS.between(fromMonth, toMonth) >= MAX_MONTHS) {
                errors.add(new FieldError("to", "the report covers at most " + MAX_MONTHS + " months"));
            }
        }
        if (!errors.isEmpty()) {
            return Mono.error(ApiException.invalid(errors));
        }
        return queries.report(fromDate.withDayOfMonth(1), toDate.withDayOfMonth(1));
    }

    private static LocalDate date(String field, String text, LocalDate dflt, List<FieldError> errors) {
        if (text == null) {
            return dflt;
        }
        try {
            LocalDate d = LocalDate.parse(text);
            if (d.getYear() < 1970 || d.getYear() > 9000) {
                errors.add(new FieldError(field, "must be a date between 1970 and 9000"));
                return null;
            }
            return d;
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be a date YYYY-MM-DD"));
            return null;
        }
    }
}
