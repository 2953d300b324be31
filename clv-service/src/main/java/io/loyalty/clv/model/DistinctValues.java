package io.loyalty.clv.model;

import java.util.Arrays;

/**
 * The distinct values of a column and each row's index into them. Summaries in whole days or weeks take
 * few distinct values of T and tx (at most the length of the history), so functions of them such as
 * ln(alpha + T) are computed once per distinct value in each likelihood evaluation.
 */
final class DistinctValues {

    final double[] values;
    final int[] index;

    DistinctValues(double[] column) {
        double[] sorted = new double[column.length];
        for (int i = 0; i < column.length; i++) {
            sorted[i] = column[i] + 0.0; // -0.0 -> 0.0, so that sort order and equality agree
        }
        Arrays.sort(sorted);
        int m = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[m++] = sorted[i];
            }
        }
        this.values = Arrays.copyOf(sorted, m);
        this.index = new int[column.length];
        for (int i = 0; i < column.length; i++) {
            index[i] = Arrays.binarySearch(values, column[i] + 0.0);
        }
    }

    int size() {
        return values.length;
    }
}
