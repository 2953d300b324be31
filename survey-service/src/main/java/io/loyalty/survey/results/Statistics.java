package io.loyalty.survey.results;

import org.hipparchus.distribution.continuous.TDistribution;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The survey statistics, computed from counts per score so they cost the same for ten responses or ten
 * million. Percentages are on a 0-100 scale. A statistic that is undefined for the sample is null:
 * everything with no responses; the NPS margin and the CES interval with one response (the sample
 * variance needs two). Variances are sample variances (divisor n - 1) summed around the mean, which stays
 * accurate for large n where the textbook "sum of squares minus square of sums" form cancels.
 */
public final class Statistics {

    /** The two-sided 95% normal quantile, rounded as every survey tool and textbook rounds it. */
    public static final double Z95 = 1.96;

    private static final ConcurrentMap<Long, Double> T_QUANTILES = new ConcurrentHashMap<>();
    private static final long T_CACHE_MAX_DF = 100_000;

    private Statistics() {
    }

    /**
     * NPS = %promoters - %detractors. Each answer scores s = +1 (promoter), 0 (passive) or -1 (detractor);
     * NPS = 100 * mean(s) and its 95% margin of error is 100 * 1.96 * sqrt(Var(s) / n) with the sample
     * variance Var(s). When every answer is in one category the variance, and so the margin, is 0.
     */
    public static Nps nps(long promoters, long passives, long detractors) {
        long n = promoters + passives + detractors;
        if (n == 0) {
            return new Nps(null, 0, 0, 0, null);
        }
        double mean = (double) (promoters - detractors) / n;
        Double margin = null;
        if (n > 1) {
            double sumSquares = promoters * square(1 - mean) + passives * square(mean) + detractors * square(1 + mean);
            double variance = sumSquares / (n - 1);
            margin = 100 * Z95 * Math.sqrt(variance / n);
        }
        return new Nps(100 * mean, promoters, passives, detractors, margin);
    }

    /**
     * CSAT = % of answers that are 4 or 5, with the Wilson score interval at z = 1.96, which stays inside
     * [0, 100] and is meaningful for one response and for all-satisfied samples (unlike the Wald interval).
     */
    public static Csat csat(long satisfied, long n) {
        if (n == 0) {
            return new Csat(null, 0, null, null);
        }
        double p = (double) satisfied / n;
        double z2 = Z95 * Z95;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = Z95 / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        // clamp rounding noise: the exact bounds of 0/n and n/n are 0 and 1
        double low = satisfied == 0 ? 0 : Math.max(0, centre - half);
        double high = satisfied == n ? 1 : Math.min(1, centre + half);
        return new Csat(100 * p, satisfied, 100 * low, 100 * high);
    }

    /**
     * CES mean with the Student t interval mean +- t(0.975, n - 1) * s / sqrt(n), intersected with the scale
     * (tiny samples can reach past it). counts[i] is the number of answers with score scaleMin + i, so the
     * scale ends at scaleMin + counts.length - 1.
     */
    public static Ces ces(long[] counts, int scaleMin) {
        long n = 0;
        double sum = 0;
        for (int i = 0; i < counts.length; i++) {
            n += counts[i];
            sum += (double) counts[i] * (scaleMin + i);
        }
        if (n == 0) {
            return new Ces(null, null, null, null);
        }
        double mean = sum / n;
        if (n == 1) {
            return new Ces(mean, null, null, null);
        }
        double sumSquares = 0;
        for (int i = 0; i < counts.length; i++) {
            sumSquares += counts[i] * square(scaleMin + i - mean);
        }
        double sd = Math.sqrt(sumSquares / (n - 1));
        double half = tQuantile975(n - 1) * sd / Math.sqrt(n);
        // the true mean lies on the scale, so cutting the interval there keeps its coverage
        int scaleMax = scaleMin + counts.length - 1;
        return new Ces(mean, Math.max(scaleMin, mean - half), Math.min(scaleMax, mean + half), sd);
    }

    /** The 97.5% quantile of Student's t with df degrees of freedom (Hipparchus). */
    public static double tQuantile975(long df) {
        if (df > T_CACHE_MAX_DF) {
            return new TDistribution(df).inverseCumulativeProbability(0.975);
        }
        return T_QUANTILES.computeIfAbsent(df, d -> new TDistribution(d).inverseCumulativeProbability(0.975));
    }

    private static double square(double x) {
        return x * x;
    }

    public record Nps(Double score, long promoters, long passives, long detractors, Double marginOfError95) {
    }

    public record Csat(Double score, long satisfied, Double ciLow95, Double ciHigh95) {
    }

    public record Ces(Double mean, Double ciLow95, Double ciHigh95, Double standardDeviation) {
    }
}
