package io.loyalty.clv.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RankOrderTest {

    @Test
    void higherScoresFirstAndTiesByCustomerId() {
        List<String> ids = List.of("c", "a", "d", "b", "e");
        double[] score = {5, 7, 5, -0.0, 0.0};
        int[] order = RankOrder.ranked(score, ids.size(), RankOrder.byId(ids));
        assertThat(IntStream.of(order).mapToObj(ids::get)).containsExactly("a", "c", "d", "b", "e");
    }

    @Test
    void onlyTheFirstSizeRowsAreRankedAndAnEmptyRunHasNoRanks() {
        assertThat(RankOrder.ranked(new double[8], 0, RankOrder.byId(List.of()))).isEmpty();
        List<String> ids = List.of("x", "y");
        double[] score = {1, 2, 99, 99};
        assertThat(RankOrder.ranked(score, 2, RankOrder.byId(ids))).containsExactly(1, 0);
    }

    /** Against a comparator sort of the same rows: many ties, as customers with equal summaries have. */
    @Test
    void matchesAComparatorSortOnRandomScoresWithManyTies() {
        SplittableRandom random = new SplittableRandom(7);
        int n = 20_000;
        List<String> ids = new ArrayList<>();
        double[] score = new double[n];
        for (int i = 0; i < n; i++) {
            ids.add("C" + random.nextInt(1_000_000_000) + "-" + i);
            score[i] = random.nextInt(4) == 0 ? 0 : random.nextInt(500) / 7.0;
        }
        List<Integer> expected = IntStream.range(0, n).boxed()
                .sorted(Comparator.<Integer>comparingDouble(row -> -score[row]).thenComparing(ids::get)).toList();
        int[] order = RankOrder.ranked(score, n, RankOrder.byId(ids));
        assertThat(IntStream.of(order).boxed().toList()).isEqualTo(expected);
    }

    @Test
    void rankOfRowInvertsTheOrder() {
        assertThat(RankOrder.rankOfRow(new int[] {2, 0, 1})).containsExactly(2, 3, 1);
    }
}
