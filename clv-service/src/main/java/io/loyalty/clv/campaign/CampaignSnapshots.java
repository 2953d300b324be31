package io.loyalty.clv.campaign;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Frozen campaign lists. The control group is the first round(n x percent / 100) members ordered by
 * md5(seed:customerId), so the same seed over the same list always holds out the same customers.
 */
@Service
public class CampaignSnapshots {

    private final DatabaseClient db;
    private final RankingQueries rankings;
    private final CampaignProperties properties;
    private final TransactionalOperator tx;

    public CampaignSnapshots(DatabaseClient db, RankingQueries rankings, CampaignProperties properties,
                             ReactiveTransactionManager transactions) {
        this.db = db;
        this.rankings = rankings;
        this.properties = properties;
        this.tx = TransactionalOperator.create(transactions);
    }

    public record Filters(BigDecimal minClv, String npsCategory, Boolean openTickets) {
    }

    public record CreateCampaign(String campaignId, String kind, Long run, Filters filters, Integer size,
                                 BigDecimal controlPercent, Long seed) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Campaign(String id, String kind, long runId, Filters filters, int size, int members, int treated,
                           int control, BigDecimal controlPercent, long seed, Instant createdAt) {
    }

    public record Created(Campaign campaign, boolean replay) {
    }

    record Valid(String id, CampaignKind kind, Long run, RankingFilter filter, int size, BigDecimal percent, long seed,
                 String fingerprint) {
    }

    public Mono<Created> create(CreateCampaign body) {
        return Mono.fromCallable(() -> validate(body)).flatMap(v -> find(v.id()).flatMap(existing -> replay(existing, v))
                .switchIfEmpty(Mono.defer(() -> rankings.resolveRun(v.run()).flatMap(runId -> insert(v, runId)))));
    }

    private Mono<Created> replay(Stored existing, Valid v) {
        if (existing.fingerprint().equals(v.fingerprint())) {
            return Mono.just(new Created(existing.campaign(), true));
        }
        return Mono.error(ApiProblem.conflict("campaign " + v.id() + " already exists with a different request"));
    }

    private Mono<Created> insert(Valid v, long runId) {
        RankingFilter.Sql where = v.filter().where(4);
        String members = "WITH picked AS (SELECT customer_id, " + v.kind().rankColumn + " AS rank, "
                + v.kind().scoreColumn + " AS score FROM campaign_run_customer WHERE run_id = $2" + where.text()
                + " ORDER BY " + v.kind().rankColumn + " LIMIT $3), shuffled AS ("
                + " SELECT *, row_number() OVER (ORDER BY md5(" + v.seed() + " || ':' || customer_id), customer_id) AS k,"
                + " count(*) OVER () AS n FROM picked)"
                + " INSERT INTO campaign_member (campaign_id, customer_id, rank, score, control)"
                + " SELECT $1, customer_id, rank, score, k <= round(n * " + v.percent().toPlainString() + " / 100.0)"
                + " FROM shuffled";
        DatabaseClient.GenericExecuteSpec insertMembers = db.sql(members).bind(0, v.id()).bind(1, runId).bind(2, v.size());
        for (int i = 0; i < where.binds().size(); i++) {
            insertMembers = insertMembers.bind(3 + i, where.binds().get(i));
        }
        DatabaseClient.GenericExecuteSpec membersStatement = insertMembers;
        DatabaseClient.GenericExecuteSpec insertCampaign = db.sql("""
                        INSERT INTO campaign (id, kind, run_id, min_clv, nps_category, open_tickets, requested_size,
                            control_percent, seed, members, control_members, fingerprint)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, 0, $10)
                        ON CONFLICT (id) DO NOTHING
                        """)
                .bind(0, v.id()).bind(1, v.kind().label()).bind(2, runId);
        insertCampaign = v.filter().minClv() == null ? insertCampaign.bindNull(3, BigDecimal.class)
                : insertCampaign.bind(3, BigDecimal.valueOf(v.filter().minClv()));
        insertCampaign = v.filter().npsCategory() == null ? insertCampaign.bindNull(4, String.class)
                : insertCampaign.bind(4, v.filter().npsCategory());
        insertCampaign = v.filter().openTickets() == null ? insertCampaign.bindNull(5, Boolean.class)
                : insertCampaign.bind(5, v.filter().openTickets());
        Mono<Created> work = insertCampaign.bind(6, v.size()).bind(7, v.percent()).bind(8, v.seed())
                .bind(9, v.fingerprint())
                .fetch().rowsUpdated()
                .flatMap(inserted -> inserted == 0
                        // a concurrent request with the same id won the race
                        ? find(v.id()).flatMap(existing -> replay(existing, v))
                        : membersStatement.then().then(db.sql("""
                                        UPDATE campaign SET members = m.total, control_members = m.control
                                        FROM (SELECT count(*) AS total, count(*) FILTER (WHERE control) AS control
                                              FROM campaign_member WHERE campaign_id = $1) m
                                        WHERE id = $1
                                        """).bind(0, v.id()).then())
                        .then(find(v.id())).map(stored -> new Created(stored.campaign(), false)));
        return work.as(tx::transactional);
    }

    record Stored(Campaign campaign, String fingerprint) {
    }

    public Mono<Campaign> get(String id) {
        return find(id).map(Stored::campaign)
                .switchIfEmpty(Mono.error(() -> ApiProblem.notFound("campaign " + id + " does not exist")));
    }

    private Mono<Stored> find(String id) {
        return db.sql("SELECT * FROM campaign WHERE id = $1").bind(0, id).map(CampaignSnapshots::stored).one();
    }

    private static Stored stored(Readable row) {
        int members = row.get("members", Integer.class);
        int control = row.get("control_members", Integer.class);
        BigDecimal minClv = row.get("min_clv", BigDecimal.class);
        return new Stored(new Campaign(row.get("id", String.class), row.get("kind", String.class),
                row.get("run_id", Long.class),
                new Filters(minClv == null ? null : minClv.stripTrailingZeros(), row.get("nps_category", String.class),
                        row.get("open_tickets", Boolean.class)),
                row.get("requested_size", Integer.class), members, members - control, control,
                row.get("control_percent", BigDecimal.class).stripTrailingZeros(), row.get("seed", Long.class),
                row.get("created_at", OffsetDateTime.class).toInstant()), row.get("fingerprint", String.class));
    }

    public record Member(long rank, String customerId, double score, boolean control) {
    }

    public record MemberPage(String campaignId, List<Member> items, String nextCursor) {
    }

    public Mono<MemberPage> members(String id, String cursor, String limit) {
        return Mono.fromCallable(() -> {
                    List<ApiProblem.FieldError> errors = new ArrayList<>();
                    int size = Params.limit(limit, errors);
                    Params.check(errors);
                    return new long[] {cursor == null ? 0 : memberCursor(cursor), size};
                })
                .flatMap(p -> get(id).then(db.sql("""
                                SELECT rank, customer_id, score, control FROM campaign_member
                                WHERE campaign_id = $1 AND rank > $2 ORDER BY rank LIMIT $3
                                """).bind(0, id).bind(1, (int) p[0]).bind(2, (int) p[1] + 1)
                        .map(row -> new Member(row.get("rank", Integer.class), row.get("customer_id", String.class),
                                row.get("score", Double.class), row.get("control", Boolean.class)))
                        .all().collectList()
                        .map(rows -> {
                            boolean more = rows.size() > p[1];
                            List<Member> items = more ? rows.subList(0, (int) p[1]) : rows;
                            String next = more ? Base64.getUrlEncoder().withoutPadding().encodeToString(
                                    ("m1:" + items.get(items.size() - 1).rank()).getBytes(StandardCharsets.UTF_8)) : null;
                            return new MemberPage(id, List.copyOf(items), next);
                        })));
    }

    private static long memberCursor(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith("m1:")) {
                int rank = Integer.parseInt(text.substring(3));
                if (rank > 0) {
                    return rank;
                }
            }
        } catch (IllegalArgumentException e) {
            // same answer for every malformed cursor
        }
        throw ApiProblem.invalid("cursor", "is not a cursor this list issued");
    }

    private Valid validate(CreateCampaign body) {
        if (body == null) {
            throw ApiProblem.invalid("body", "a JSON object is required");
        }
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        String id = body.campaignId();
        if (id != null && !id.matches("[A-Za-z0-9._:-]{1,100}")) {
            errors.add(new ApiProblem.FieldError("campaignId", "1 to 100 letters, digits, '.', '_', ':' or '-'"));
        }
        CampaignKind kind = null;
        if (body.kind() == null) {
            errors.add(new ApiProblem.FieldError("kind", "is required (upsell or retention)"));
        } else if (!body.kind().equals("upsell") && !body.kind().equals("retention")) {
            errors.add(new ApiProblem.FieldError("kind", "must be upsell or retention"));
        } else {
            kind = CampaignKind.parse("kind", body.kind());
        }
        if (body.run() != null && body.run() <= 0) {
            errors.add(new ApiProblem.FieldError("run", "must be a scoring run id (a positive integer)"));
        }
        if (body.size() == null) {
            errors.add(new ApiProblem.FieldError("size", "is required"));
        } else if (body.size() < 1 || body.size() > properties.maxCampaignSize()) {
            errors.add(new ApiProblem.FieldError("size", "must be from 1 to " + properties.maxCampaignSize()));
        }
        BigDecimal percent = body.controlPercent() == null ? BigDecimal.ZERO : body.controlPercent();
        if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) >= 0 || percent.scale() > 4) {
            errors.add(new ApiProblem.FieldError("controlPercent", "must be at least 0 and below 100 (up to 4 decimals)"));
        }
        Filters f = body.filters();
        RankingFilter filter = f == null ? RankingFilter.NONE : RankingFilter.parse("filters.",
                f.minClv() == null ? null : f.minClv().toPlainString(), f.npsCategory(),
                f.openTickets() == null ? null : f.openTickets().toString(), errors);
        Params.check(errors);
        long seed = body.seed() != null ? body.seed()
                : id != null ? id.hashCode() : ThreadLocalRandom.current().nextLong(1L << 48);
        String fingerprint = String.join("|", kind.label(), String.valueOf(body.run()), String.valueOf(filter.minClv()),
                String.valueOf(filter.npsCategory()), String.valueOf(filter.openTickets()), body.size().toString(),
                percent.stripTrailingZeros().toPlainString(), String.valueOf(body.seed()));
        return new Valid(id == null ? UUID.randomUUID().toString() : id, kind, body.run(), filter, body.size(),
                percent.stripTrailingZeros(), seed, fingerprint);
    }
}
