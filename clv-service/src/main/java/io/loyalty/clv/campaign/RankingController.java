package io.loyalty.clv.campaign;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Ranked campaign lists: JSON pages, or the whole list as RFC 4180 CSV streamed from the database (CsvExport). */
@RestController
public class RankingController {

    static final MediaType TEXT_CSV = MediaType.parseMediaType("text/csv");
    private static final String PATH = "/api/v1/campaigns/{kind}/customers";

    private final RankingQueries queries;
    private final CsvExport export;

    public RankingController(RankingQueries queries, CsvExport export) {
        this.queries = queries;
        this.export = export;
    }

    record Request(CampaignKind kind, Long run, RankingFilter filter, int limit, RankingQueries.Cursor.Position after) {
    }

    @GetMapping(path = PATH, produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    public Mono<RankingQueries.Page> page(@PathVariable String kind, @RequestParam(required = false) String run,
                                          @RequestParam(required = false) String limit,
                                          @RequestParam(required = false) String cursor,
                                          @RequestParam(required = false) String minClv,
                                          @RequestParam(required = false) String npsCategory,
                                          @RequestParam(required = false) String openTickets) {
        return Mono.fromCallable(() -> parse(kind, run, limit, cursor, minClv, npsCategory, openTickets))
                .flatMap(r -> {
                    Long known = r.after() != null ? Long.valueOf(r.after().runId()) : r.run();
                    long after = r.after() == null ? 0 : r.after().rank();
                    if (known == null) {
                        return queries.resolveRun(null)
                                .flatMap(runId -> queries.page(r.kind(), runId, r.filter(), after, r.limit()));
                    }
                    // one round trip for the usual page; only an empty one asks whether the run exists
                    return queries.page(r.kind(), known, r.filter(), after, r.limit())
                            .flatMap(page -> page.items().isEmpty() ? queries.resolveRun(known).thenReturn(page)
                                    : Mono.just(page));
                });
    }

    @GetMapping(path = PATH, produces = "text/csv")
    public Mono<ResponseEntity<Flux<DataBuffer>>> csv(@PathVariable String kind, @RequestParam(required = false) String run,
                                                      @RequestParam(required = false) String minClv,
                                                      @RequestParam(required = false) String npsCategory,
                                                      @RequestParam(required = false) String openTickets,
                                                      ServerWebExchange exchange) {
        DataBufferFactory buffers = exchange.getResponse().bufferFactory();
        return Mono.fromCallable(() -> parse(kind, run, null, null, minClv, npsCategory, openTickets))
                .flatMap(r -> queries.resolveRun(r.run()).map(runId -> {
                    Flux<DataBuffer> body = export.csv(r.kind(), runId, r.filter(), buffers);
                    return ResponseEntity.ok()
                            .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                            .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + r.kind().label()
                                    + "-run-" + runId + ".csv\"")
                            .body(body);
                }));
    }

    private static Request parse(String kind, String run, String limit, String cursor, String minClv,
                                 String npsCategory, String openTickets) {
        CampaignKind k = CampaignKind.parse("kind", kind);
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        Long runId = Params.runId("run", run, errors);
        int size = Params.limit(limit, errors);
        RankingFilter filter = RankingFilter.parse("", minClv, npsCategory, openTickets, errors);
        Params.check(errors);
        RankingQueries.Cursor.Position after = null;
        if (cursor != null) {
            after = RankingQueries.Cursor.decode(cursor);
            if (after.kind() != k || (runId != null && runId != after.runId())) {
                throw ApiProblem.invalid("cursor", "belongs to another list (kind or run differs)");
            }
        }
        return new Request(k, runId, filter, size, after);
    }
}
