package io.loyalty.survey.results;

import io.loyalty.survey.survey.Channels;
import io.loyalty.survey.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

@RestController
public class ResultsController {

    private static final LocalDate MIN_DATE = LocalDate.of(1, 1, 1);
    private static final LocalDate MAX_DATE = LocalDate.of(9999, 12, 31);

    private final ResultsService results;

    public ResultsController(ResultsService results) {
        this.results = results;
    }

    @Operation(summary = "NPS, CSAT or CES results with 95% intervals and a series, from per-day rollups")
    @GetMapping(path = "/api/v1/surveys/{surveyId}/results", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<SurveyResults> results(
            @PathVariable String surveyId,
            @Parameter(description = "first UTC day included, YYYY-MM-DD") @RequestParam(required = false) String from,
            @Parameter(description = "last UTC day included, YYYY-MM-DD") @RequestParam(required = false) String to,
            @Parameter(description = "day (default), week (ISO, from Monday) or month") @RequestParam(required = false) String interval,
            @Parameter(description = "only responses from this channel") @RequestParam(required = false) String channel) {
        LocalDate fromDate = date("from", from);
        LocalDate toDate = date("to", to);
        if (fromDate != null && toDate != null && fromDate.isAfter(toDate)) {
            throw ApiException.badRequest("from", "must not be after to");
        }
        Interval unit = interval == null || interval.isEmpty() ? Interval.DAY : Interval.parse(interval);
        if (unit == null) {
            throw ApiException.badRequest("interval", "must be day, week or month");
        }
        String channelFilter = null;
        if (channel != null && !channel.isEmpty()) {
            channelFilter = Channels.normalise(channel);
            if (channelFilter == null) {
                throw ApiException.badRequest("channel", "must be " + Channels.RULE);
            }
        }
        return results.results(surveyId, fromDate, toDate, unit, channelFilter);
    }

    private static LocalDate date(String field, String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            LocalDate date = LocalDate.parse(text);
            if (date.isBefore(MIN_DATE) || date.isAfter(MAX_DATE)) {
                throw ApiException.badRequest(field, "must be a date between 0001-01-01 and 9999-12-31");
            }
            return date;
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field, "must be a date YYYY-MM-DD");
        }
    }
}
