package io.loyalty.clv.scoring;

/** Model time: the unit of recency, T and alpha. A month is 365.25/12 days. */
public enum TimeUnit {
    DAY(1), WEEK(7);

    public final int days;

    TimeUnit(int days) {
        this.days = days;
    }

    public double perMonth() {
        return 365.25 / 12 / days;
    }
}
