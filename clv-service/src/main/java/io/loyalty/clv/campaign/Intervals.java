package io.loyalty.clv.campaign;

/**
 * 95% intervals for the reports. Normal approximations, stated in docs/campaigns.md:
 * Wilson for a proportion, mean +- z s/sqrt(n) for a mean, Wald for a difference of proportions and
 * Welch's standard error for a difference of means.
 */
public final class Intervals {

    public static final double Z95 = 1.959963984540054;

    private Intervals() {
    }

    public record Estimate(double estimate, Double ciLow95, Double ciHigh95) {
    }

    /** Wilson score interval; null bounds when n = 0. */
    public static Estimate proportion(long successes, long n) {
        if (n <= 0) {
            return new Estimate(0, null, null);
        }
        double p = (double) successes / n;
        double z2 = Z95 * Z95;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return new Estimate(p, Math.max(0, centre - half), Math.min(1, centre + half));
    }

    /** Mean with a normal interval from the sample standard deviation; no interval below two observations. */
    public static Estimate mean(double mean, Double sampleSd, long n) {
        if (n < 2 || sampleSd == null) {
            return new Estimate(mean, null, null);
        }
        double half = Z95 * sampleSd / Math.sqrt(n);
        return new Estimate(mean, mean - half, mean + half);
    }

    /** Treated minus control proportion, Wald interval; null when a group is empty. */
    public static Estimate proportionDifference(long x1, long n1, long x2, long n2) {
        if (n1 <= 0 || n2 <= 0) {
            return null;
        }
        double p1 = (double) x1 / n1;
        double p2 = (double) x2 / n2;
        double se = Math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2);
        double d = p1 - p2;
        return new Estimate(d, d - Z95 * se, d + Z95 * se);
    }

    /** Treated minus control mean, Welch standard error; null when a group has fewer than two members. */
    public static Estimate meanDifference(double m1, double var1, long n1, double m2, double var2, long n2) {
        if (n1 < 2 || n2 < 2) {
            return null;
        }
        double se = Math.sqrt(var1 / n1 + var2 / n2);
        double d = m1 - m2;
        return new Estimate(d, d - Z95 * se, d + Z95 * se);
    }
}
