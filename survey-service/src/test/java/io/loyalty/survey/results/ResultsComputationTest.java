package io.loyalty.survey.results;

import io.loyalty.survey.survey.Survey;
import io.loyalty.survey.survey.SurveyKind;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ResultsComputationTest {

    private static final Survey NPS = new Survey(UUID.randomUUID(), "n", SurveyKind.NPS, "q", 0, 10, null, null, null);
    private static final Survey CSAT = new Survey(UUID.randomUUID(), "c", SurveyKind.CSAT, "q", 1, 5, null, null, null);

    private static ResultsRepository.PeriodCount c(String day, int score, long n) {
        return new ResultsRepository.PeriodCount(LocalDate.parse(day), score, n);
    }

    @Test
    void npsCategoriesSplitAtSixSevenAndEightNine() {
        SurveyResults r = ResultsService.compute(NPS, null, null, Interval.DAY, null, List.of(
                c("2026-03-02", 0, 1), c("2026-03-02", 6, 2), c("2026-03-02", 7, 3), c("2026-03-02", 8, 4),
                c("2026-03-02", 9, 5), c("2026-03-02", 10, 6)));
        assertThat(r.responses()).isEqualTo(21);
        assertThat(r.nps().detractors()).isEqualTo(3);
        assertThat(r.nps().passives()).isEqualTo(7);
        assertThat(r.nps().promoters()).isEqualTo(11);
        assertThat(r.nps().score()).isCloseTo(100.0 * (11 - 3) / 21, within(1e-9));
        assertThat(r.csat()).isNull();
        assertThat(r.ces()).isNull();
        assertThat(r.distribution()).hasSize(11);
        assertThat(r.distribution().get(6).responses()).isEqualTo(2);
    }

    @Test
    void seriesFillsEmptyPeriodsBetweenFromAndTo() {
        SurveyResults r = ResultsService.compute(CSAT, LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-04"),
                Interval.DAY, null, List.of(c("2026-03-02", 5, 2), c("2026-03-02", 2, 2), c("2026-03-04", 4, 1)));
        assertThat(r.series()).extracting(p -> p.periodStart().toString())
                .containsExactly("2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04");
        SurveyResults.IntervalPoint empty = (SurveyResults.IntervalPoint) r.series().get(0);
        assertThat(empty.responses()).isZero();
        assertThat(empty.score()).isNull();
        assertThat(empty.ciLow95()).isNull();
        assertThat(r.series().get(1).score()).isCloseTo(50.0, within(1e-9));
        assertThat(r.series().get(3).score()).isEqualTo(100.0);
        assertThat(r.csat().satisfied()).isEqualTo(3);
        assertThat(r.csat().score()).isCloseTo(60.0, within(1e-9));
    }

    @Test
    void weeksStartOnMondayAndMonthsOnTheFirst() {
        assertThat(Interval.WEEK.start(LocalDate.parse("2026-03-01"))).isEqualTo("2026-02-23"); // a Sunday
        assertThat(Interval.WEEK.start(LocalDate.parse("2026-03-02"))).isEqualTo("2026-03-02"); // a Monday
        assertThat(Interval.MONTH.start(LocalDate.parse("2026-03-31"))).isEqualTo("2026-03-01");
        assertThat(Interval.WEEK.periods(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-09"))).isEqualTo(3);
        assertThat(Interval.MONTH.periods(LocalDate.parse("2026-01-31"), LocalDate.parse("2026-03-01"))).isEqualTo(3);
    }

    @Test
    void noDataAndNoRangeGivesAnEmptySeries() {
        SurveyResults r = ResultsService.compute(NPS, null, null, Interval.MONTH, null, List.of());
        assertThat(r.responses()).isZero();
        assertThat(r.series()).isEmpty();
        assertThat(r.nps().score()).isNull();
    }
}
