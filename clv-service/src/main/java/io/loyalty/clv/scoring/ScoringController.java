package io.loyalty.clv.scoring;

import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.loyalty.clv.web.ApiException;
import io.loyalty.clv.web.FieldError;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Scoring runs (asynchronous, versioned) and the per-customer values they hold. */
@RestController
public class ScoringController {

    private final ScoringRuns runs;
    private final ScoringRunner runner;
    private final ScoringProperties properties;
    private final Clock clock;

    public ScoringController(ScoringRuns runs, ScoringRunner runner, ScoringProperties properties,
                             ObjectProvider<Clock> clock) {
        this.runs = runs;
        this.runner = runner;
        this.properties = properties;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @PostMapping(path = "/api/v1/scoring-runs", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<Map<String, Object>>> create(@RequestBody JsonNode body) {
        return Mono.defer(() -> {
            ScoringRequest request = parse(body);
            return runs.create(request).map(created -> {
                runner.submit(created.id(), request, created.cutoff());
                return ResponseEntity.accepted().location(URI.create("/api/v1/scoring-runs/" + created.id()))
                        .body(Map.<String, Object>of("id", created.id(), "status", "RUNNING"));
            });
        });
    }

    @GetMapping("/api/v1/scoring-runs/{runId}")
    public Mono<Map<String, Object>> get(@PathVariable String runId) {
        long id = parseRunId(runId, "runId");
        return runs.find(id).switchIfEmpty(Mono.error(() -> ApiException.notFound("no scoring run " + id)));
    }

    @GetMapping("/api/v1/customers/{customerId}/value")
    public Mono<Map<String, Object>> value(@PathVariable String customerId,
                                           @RequestParam(name = "run", required = false) String run) {
        Mono<Long> runId = run == null
                ? runs.latestSucceeded().switchIfEmpty(Mono.error(() -> ApiException.notFound("no scoring run has succeeded yet")))
                : runs.status(parseRunId(run, "run")).switchIfEmpty(Mono.error(() -> ApiException.notFound("no scoring run " + run)))
                        .map(status -> {
                            if (!status.equals("SUCCEEDED")) {
                                throw ApiException.conflict("scoring run " + run + " is " + status
                                        + "; only succeeded runs hold customer values", List.of());
                            }
                            return Long.parseLong(run);
                        });
        return runId.flatMap(id -> runs.customerValue(id, customerId)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("customer " + customerId
                        + " has no value in scoring run " + id + " (no purchase by its calibration end)"))));
    }

    private static long parseRunId(String text, String field) {
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.invalid(field, "must be a positive run id");
    }

    ScoringRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("$", "the body must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate calibrationEnd = date(body, "calibrationEnd", errors);
        LocalDate holdoutEnd = date(body, "holdoutEnd", errors);
        if (calibrationEnd == null && !body.hasNonNull("calibrationEnd")) {
            calibrationEnd = today;
        }
        if (calibrationEnd != null && calibrationEnd.isAfter(today)) {
            errors.add(new FieldError("calibrationEnd", "must not be in the future"));
        }
        if (holdoutEnd != null) {
            if (calibrationEnd != null && !holdoutEnd.isAfter(calibrationEnd)) {
                errors.add(new FieldError("holdoutEnd", "must be after calibrationEnd"));
            } else if (holdoutEnd.isAfter(today)) {
                errors.add(new FieldError("holdoutEnd", "must not be in the future"));
            }
        }
        Integer horizon = integer(body, "horizonMonths", 12, 1, properties.maxHorizonMonths(), errors);
        Double rate = decimal(body, "monthlyDiscountRate", 0.01, 0, 1, errors);
        TimeUnit unit = TimeUnit.WEEK;
        JsonNode u = body.get("timeUnit");
        if (u != null && !u.isNull()) {
            if (!u.isString() || !(u.stringValue().equals("DAY") || u.stringValue().equals("WEEK"))) {
                errors.add(new FieldError("timeUnit", "must be DAY or WEEK"));
            } else {
                unit = TimeUnit.valueOf(u.stringValue());
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new ScoringRequest(calibrationEnd, holdoutEnd, horizon, rate, unit);
    }

    private static LocalDate date(JsonNode body, String field, List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isString()) {
            try {
                return LocalDate.parse(v.stringValue());
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        errors.add(new FieldError(field, "must be a date YYYY-MM-DD"));
        return null;
    }

    private static Integer integer(JsonNode body, String field, int dflt, int min, int max, List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
            errors.add(new FieldError(field, "must be a whole number from " + min + " to " + max));
            return dflt;
        }
        return v.intValue();
    }

    private static Double decimal(JsonNode body, String field, double dflt, double min, double max,
                                  List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        double d = v.isNumber() ? v.doubleValue() : Double.NaN;
        if (!(d >= min && d <= max)) {
            errors.add(new FieldError(field, "must be a number from " + min + " to " + max));
            return dflt;
        }
        return d;
    }
}
