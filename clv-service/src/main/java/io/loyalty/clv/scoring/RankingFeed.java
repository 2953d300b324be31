package io.loyalty.clv.scoring;

import java.sql.SQLException;

/**
 * Where the scoring pass hands each customer's values to the campaign rankings, so that they are built from the
 * pass's own read instead of a second read of a million stored rows (see {@link RunSignals#rankingFeed}). The
 * feed adds its inputs (signals, the previous run's values) to that read as LEFT JOINs on the run's customer
 * rows, aliased {@code v} with a {@code customer_id}, and gets them back as binary COPY fields.
 *
 * <p>A feed that fails (its spill file, say) keeps accepting and fails in {@link #finish}: the rankings are lost,
 * never the run.
 */
public interface RankingFeed extends AutoCloseable {

    /** Select-list entries over the feed's joins, each after a comma (", s.nps_score, ..."). */
    String columns();

    /** How many entries {@link #columns()} has. */
    int columnCount();

    /** LEFT JOINs on {@code v.customer_id}. */
    String joins();

    /** One customer; the feed's columns are the row's fields {@code first} to {@code first + columnCount() - 1}. */
    void accept(String customerId, int frequency, double clv, double probabilityAlive, double expectedPurchases,
                double referralValue, BinaryCopy.Reader row, int first);

    /** Every customer has been fed: ranks them and stores the rankings. Returns the customers ranked. */
    long finish() throws SQLException;

    /** Releases what the feed holds (its spill file); after finish, or instead of it. */
    @Override
    void close();
}
