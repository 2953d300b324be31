package io.loyalty.clv.campaign;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The order of a ranking: score descending, ties by customer id (String order, i.e. UTF-16 code units). Built
 * from primitive sorts, so a million customers cost a sort of doubles and one of longs, not a comparator call
 * per comparison: each score becomes its position among the distinct scores, packed with the customer's
 * position by id into one long.
 */
final class RankOrder {

    private RankOrder() {
    }

    /** The rows sorted by customer id: element k is the row whose id is the k-th smallest. */
    static int[] byId(List<String> ids) {
        Integer[] rows = new Integer[ids.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        // the database is idle meanwhile: both cores sort
        Arrays.parallelSort(rows, Comparator.comparing(ids::get));
        return Arrays.stream(rows).mapToInt(Integer::intValue).toArray();
    }

    /**
     * The first {@code size} rows in ranking order: element k is the row ranked k + 1.
     *
     * @param byId the rows sorted by customer id ({@link #byId}); ids are unique
     */
    static int[] ranked(double[] score, int size, int[] byId) {
        double[] distinct = new double[size];
        for (int row = 0; row < size; row++) {
            distinct[row] = normal(score[row]);
        }
        Arrays.sort(distinct);
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (count == 0 || distinct[i] != distinct[count - 1]) {
                distinct[count++] = distinct[i];
            }
        }
        int[] idPosition = new int[size];
        for (int k = 0; k < size; k++) {
            idPosition[byId[k]] = k;
        }
        long[] keys = new long[size];
        for (int row = 0; row < size; row++) {
            int ascending = Arrays.binarySearch(distinct, 0, count, normal(score[row]));
            keys[row] = ((long) (count - 1 - ascending) << 32) | idPosition[row];
        }
        Arrays.sort(keys);
        int[] order = new int[size];
        for (int k = 0; k < size; k++) {
            order[k] = byId[(int) keys[k]];
        }
        return order;
    }

    /** The inverse of an order: element row is the rank (1-based) of that row. */
    static int[] rankOfRow(int[] order) {
        int[] rank = new int[order.length];
        for (int k = 0; k < order.length; k++) {
            rank[order[k]] = k + 1;
        }
        return rank;
    }

    /** -0.0 ties with 0.0, as in SQL; a score that is not finite (the scoring gives none) ranks as 0. */
    private static double normal(double score) {
        return Double.isFinite(score) && score != 0 ? score : 0.0;
    }
}
