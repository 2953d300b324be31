package io.loyalty.clv.campaign;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Campaign snapshots, their members and uplift, and the per-run service-impact report. */
@RestController
public class CampaignController {

    private final CampaignSnapshots snapshots;
    private final CampaignReports reports;

    public CampaignController(CampaignSnapshots snapshots, CampaignReports reports) {
        this.snapshots = snapshots;
        this.reports = reports;
    }

    @PostMapping(path = "/api/v1/campaigns", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<CampaignSnapshots.Campaign>> create(@RequestBody(required = false) Mono<CampaignSnapshots.CreateCampaign> body) {
        return body.switchIfEmpty(Mono.error(() -> ApiProblem.invalid("body", "a JSON object is required")))
                .flatMap(snapshots::create)
                .map(created -> ResponseEntity.status(created.replay() ? HttpStatus.OK : HttpStatus.CREATED)
                        .body(created.campaign()));
    }

    @GetMapping("/api/v1/campaigns/{id}")
    public Mono<CampaignSnapshots.Campaign> get(@PathVariable String id) {
        return snapshots.get(id);
    }

    @GetMapping("/api/v1/campaigns/{id}/members")
    public Mono<CampaignSnapshots.MemberPage> members(@PathVariable String id,
                                                      @RequestParam(required = false) String limit,
                                                      @RequestParam(required = false) String cursor) {
        return snapshots.members(id, cursor, limit);
    }

    @GetMapping("/api/v1/campaigns/{id}/report")
    public Mono<CampaignReports.UpliftReport> report(@PathVariable String id, @RequestParam(required = false) String to) {
        return Mono.fromCallable(() -> to == null ? Instant.EPOCH : instant("to", to))
                .flatMap(until -> reports.uplift(id, until == Instant.EPOCH ? null : until));
    }

    @GetMapping("/api/v1/scoring-runs/{runId}/service-impact")
    public Mono<CampaignReports.ServiceImpact> serviceImpact(@PathVariable String runId) {
        return Mono.fromCallable(() -> {
            List<ApiProblem.FieldError> errors = new ArrayList<>();
            Long id = Params.runId("runId", runId, errors);
            Params.check(errors);
            return id;
        }).flatMap(reports::serviceImpact);
    }

    private static Instant instant(String field, String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid(field, "must be an ISO-8601 timestamp with offset, e.g. 2026-03-01T10:15:00Z");
        }
    }
}
