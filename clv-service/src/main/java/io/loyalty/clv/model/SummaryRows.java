package io.loyalty.clv.model;

import java.util.Arrays;

/**
 * Validated, weighted summary rows grouped by their purchase count x, so that terms depending only on x
 * (log-gamma, digamma) are evaluated once per distinct x in every likelihood evaluation.
 */
final class SummaryRows {

    /** Index of each kept row in the caller's arrays (rows of weight 0 are dropped). */
    final int[] source;
    final double[] x;
    final double[] weight;
    final int[] group;
    final double[] groupX;
    final double[] groupWeight;
    final double totalWeight;

    SummaryRows(double[] x, double[] weight, boolean allowZeroX) {
        int n = x.length;
        int[] src = new int[n];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            double xi = x[i];
            double wi = weight[i];
            if (!Double.isFinite(xi) || xi < (allowZeroX ? 0 : 1) || xi != Math.rint(xi)) {
                throw new IllegalArgumentException("x[" + i + "] must be a whole number >= "
                        + (allowZeroX ? 0 : 1) + ", was " + xi);
            }
            if (!Double.isFinite(wi) || wi < 0) {
                throw new IllegalArgumentException("weight[" + i + "] must be finite and >= 0, was " + wi);
            }
            if (wi > 0) {
                src[kept++] = i;
            }
        }
        this.source = Arrays.copyOf(src, kept);
        this.x = new double[kept];
        this.weight = new double[kept];
        double total = 0;
        for (int k = 0; k < kept; k++) {
            this.x[k] = x[source[k]];
            this.weight[k] = weight[source[k]];
            total += this.weight[k];
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("the total weight must be positive");
        }
        DistinctValues groups = new DistinctValues(this.x);
        this.group = groups.index;
        this.groupX = groups.values;
        this.groupWeight = new double[groups.size()];
        for (int k = 0; k < kept; k++) {
            groupWeight[group[k]] += this.weight[k];
        }
        this.totalWeight = total;
    }

    int size() {
        return source.length;
    }

    static void requireSameLength(double[]... arrays) {
        for (double[] a : arrays) {
            if (a == null) {
                throw new IllegalArgumentException("input arrays are required");
            }
            if (a.length != arrays[0].length) {
                throw new IllegalArgumentException("input arrays must have the same length");
            }
        }
    }
}
