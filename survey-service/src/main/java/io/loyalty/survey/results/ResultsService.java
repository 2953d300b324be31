package io.loyalty.survey.results;

import io.loyalty.survey.config.SurveyProperties;
import io.loyalty.survey.survey.Survey;
import io.loyalty.survey.survey.SurveyService;
import io.loyalty.survey.web.ApiException;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

@Service
public class ResultsService {

    private final SurveyService surveys;
    private final ResultsRepository rollups;
    private final SurveyProperties properties;

    public ResultsService(SurveyService surveys, ResultsRepository rollups, SurveyProperties properties) {
        this.surveys = surveys;
        this.rollups = rollups;
        this.properties = properties;
    }

    public Mono<SurveyResults> results(String surveyId, LocalDate from, LocalDate to, Interval interval,
                                       String channel) {
        if (from != null && to != null && interval.periods(from, to) > properties.maxSeriesPoints()) {
            return Mono.error(ApiException.badRequest("interval", "from..to spans more than "
                    + properties.maxSeriesPoints() + " periods of a " + interval.name().toLowerCase()
                    + "; choose a longer interval or a shorter range"));
        }
        return surveys.require(surveyId).flatMap(survey -> rollups
                .counts(survey.id(), interval, from, to, channel)
                .collectList()
                .map(counts -> compute(survey, from, to, interval, channel, counts)));
    }

    static SurveyResults compute(Survey survey, LocalDate from, LocalDate to, Interval interval, String channel,
                                 List<ResultsRepository.PeriodCount> counts) {
        int width = survey.scale() - survey.scaleMin() + 1;
        long[] total = new long[width];
        TreeMap<LocalDate, long[]> byPeriod = new TreeMap<>();
        for (ResultsRepository.PeriodCount c : counts) {
            int index = c.score() - survey.scaleMin();
            if (index < 0 || index >= width) {
                continue; // cannot happen: scores are validated against the immutable scale
            }
            total[index] += c.responses();
            byPeriod.computeIfAbsent(c.periodStart(), d -> new long[width])[index] += c.responses();
        }
        Summary summary = summarise(survey, total);
        List<SurveyResults.ScoreCount> distribution = new ArrayList<>(width);
        for (int i = 0; i < width; i++) {
            distribution.add(new SurveyResults.ScoreCount(survey.scaleMin() + i, total[i]));
        }
        List<SurveyResults.SeriesPoint> series = new ArrayList<>();
        LocalDate first = from != null ? interval.start(from) : byPeriod.isEmpty() ? null : byPeriod.firstKey();
        LocalDate last = to != null ? interval.start(to) : byPeriod.isEmpty() ? null : byPeriod.lastKey();
        if (first != null && last != null) {
            for (LocalDate period = first; !period.isAfter(last); period = interval.next(period)) {
                long[] periodCounts = byPeriod.getOrDefault(period, new long[width]);
                series.add(point(survey, period, summarise(survey, periodCounts)));
            }
        }
        return new SurveyResults(survey.id(), survey.kind(), survey.scale(), from, to, channel, interval,
                summary.responses, summary.nps, summary.csat, summary.ces, distribution, series);
    }

    private record Summary(long responses, Statistics.Nps nps, Statistics.Csat csat, Statistics.Ces ces) {
    }

    private static Summary summarise(Survey survey, long[] counts) {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return switch (survey.kind()) {
            case NPS -> {
                // counts[i] is score i: 0-6 detractors, 7-8 passives, 9-10 promoters
                long detractors = 0;
                for (int s = 0; s <= 6; s++) {
                    detractors += counts[s];
                }
                yield new Summary(n, Statistics.nps(counts[9] + counts[10], counts[7] + counts[8], detractors),
                        null, null);
            }
            case CSAT -> new Summary(n, null, Statistics.csat(counts[3] + counts[4], n), null);
            case CES -> new Summary(n, null, null, Statistics.ces(counts, survey.scaleMin()));
        };
    }

    private static SurveyResults.SeriesPoint point(Survey survey, LocalDate period, Summary summary) {
        return switch (survey.kind()) {
            case NPS -> new SurveyResults.NpsPoint(period, summary.responses, summary.nps.score(),
                    summary.nps.marginOfError95());
            case CSAT -> new SurveyResults.IntervalPoint(period, summary.responses, summary.csat.score(),
                    summary.csat.ciLow95(), summary.csat.ciHigh95());
            case CES -> new SurveyResults.IntervalPoint(period, summary.responses, summary.ces.mean(),
                    summary.ces.ciLow95(), summary.ces.ciHigh95());
        };
    }
}
