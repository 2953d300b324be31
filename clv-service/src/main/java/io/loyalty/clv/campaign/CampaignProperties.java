package io.loyalty.clv.campaign;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Ranking weights and campaign settings. The weights are the knobs of the formulas in docs/campaigns.md.
 *
 * @param csvChunkRows     rows per keyset query of {@link RankingQueries#chunks}; no longer what the CSV
 *                         export reads with (one COPY per export, see csvExport)
 * @param maxCampaignSize  largest list a campaign snapshot may freeze
 * @param analyzeAfterRanking ANALYZE a run's ranking tables once it is ranked, so the planner knows their
 *                         sizes and values (their rows are written frozen, so there are no hint bits to set)
 * @param indexBuildMemory PostgreSQL's maintenance_work_mem for each of the two rank index builds of a ranking (they
 *                         run at once, without parallel workers): a million rows sort in memory in about 72 MB; with
 *                         less the build sorts on disk, in about half as much time again
 * @param spillDirectory   where ranking a run spills its scored rows (binary COPY, ~150 bytes a customer) until
 *                         both ranks are known; empty: java.io.tmpdir
 * @param purchases        where the purchases live, for the uplift report of a campaign
 * @param csvExport        the streamed CSV export of a whole ranking ({@link CsvExport})
 */
@Validated
@ConfigurationProperties("loyalty.campaign")
public record CampaignProperties(
        @Min(100) @Max(100_000) @DefaultValue("5000") int csvChunkRows,
        @Min(1) @Max(10_000_000) @DefaultValue("1000000") int maxCampaignSize,
        @DefaultValue("true") boolean analyzeAfterRanking,
        @DefaultValue("") String spillDirectory,
        @NotNull @DefaultValue("128MB") DataSize indexBuildMemory,
        @Valid @NotNull @DefaultValue Upsell upsell,
        @Valid @NotNull @DefaultValue Retention retention,
        @Valid @NotNull @DefaultValue Purchases purchases,
        @Valid @NotNull @DefaultValue Export csvExport) {

    @ConstructorBinding
    public CampaignProperties {
        if (indexBuildMemory != null && (indexBuildMemory.toMegabytes() < 1 || indexBuildMemory.toGigabytes() >= 2)) {
            throw new IllegalArgumentException("loyalty.campaign.index-build-memory must be 1MB to 2GB, was " + indexBuildMemory);
        }
    }

    /** The settings but the export's, which gets its defaults. */
    public CampaignProperties(int csvChunkRows, int maxCampaignSize, boolean analyzeAfterRanking,
                              String spillDirectory, Upsell upsell, Retention retention, Purchases purchases) {
        this(csvChunkRows, maxCampaignSize, analyzeAfterRanking, spillDirectory, DataSize.ofMegabytes(128), upsell,
                retention, purchases,
                Export.DEFAULTS);
    }

    /**
     * The CSV export: each one reads its ranking with one COPY on a JDBC connection of its own, on a thread of a
     * pool of {@code maxConcurrent} threads.
     *
     * @param maxConcurrent exports at a time (so also JDBC connections and threads); one more is answered 503
     * @param bufferBytes   CSV bytes per buffer handed to the HTTP response, the unit of backpressure; the server
     *                      queues up to 128 of them ahead of a slow client (reactor-netty's send prefetch), so an
     *                      export holds at most about 128 x bufferBytes of heap, whatever the ranking's size
     * @param sortBelowCorrelation when the run's rows lie on disk less in the ranking's order than this (the absolute
     *                      pg_stats correlation of the rank column), PostgreSQL is told to sort a sequential scan
     *                      (index scans off for that export) instead of fetching the rows in index order; 0: leave
     *                      the plan to PostgreSQL
     */
    public record Export(
            @Min(1) @Max(64) @DefaultValue("4") int maxConcurrent,
            @Min(4096) @Max(1024 * 1024) @DefaultValue("65536") int bufferBytes,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.5") double sortBelowCorrelation) {

        static final Export DEFAULTS = new Export(4, 65536, 0.5);
    }

    /** Multipliers applied to value x P(alive); penalties are fractions removed. */
    public record Upsell(
            @DecimalMin("0") @DecimalMax("10") @DefaultValue("0.25") double promoterLift,
            @DecimalMin("0") @DecimalMax("10") @DefaultValue("0.15") double referrerLift,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.5") double detractorPenalty,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.5") double openTicketPenalty,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.2") double breachPenalty) {
    }

    /** Additive raises of the risk multiplier (1 + ...); event counts are capped at maxCountedEvents. */
    public record Retention(
            @DecimalMin("0") @DecimalMax("10") @DefaultValue("0.5") double detractorLift,
            @DecimalMin("0") @DecimalMax("10") @DefaultValue("0.25") double breachLift,
            @DecimalMin("0") @DecimalMax("10") @DefaultValue("0.15") double reopenLift,
            @DecimalMin("0") @DecimalMax("10") @DefaultValue("1.0") double declineLift,
            @Min(1) @Max(100) @DefaultValue("3") int maxCountedEvents,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.1") double declineReasonThreshold) {
    }

    /** SQL identifiers of the purchases table (validated: they are spliced into the report query). */
    public record Purchases(
            @NotNull @Pattern(regexp = "[a-z_][a-z0-9_]{0,62}(\\.[a-z_][a-z0-9_]{0,62})?") @DefaultValue("purchases") String table,
            @NotNull @Pattern(regexp = "[a-z_][a-z0-9_]{0,62}") @DefaultValue("customer_id") String customerColumn,
            @NotNull @Pattern(regexp = "[a-z_][a-z0-9_]{0,62}") @DefaultValue("occurred_at") String timeColumn,
            @NotNull @Pattern(regexp = "[a-z_][a-z0-9_]{0,62}") @DefaultValue("amount") String amountColumn) {
    }
}
