package io.loyalty.clv.campaign;

import java.math.BigDecimal;
import java.util.List;

/** RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break, quotes doubled. */
final class Csv {

    static final String HEADER = "rank,customerId,score,clv,probabilityAlive,expectedPurchases,referralValue,"
            + "previousProbabilityAlive,npsScore,npsCategory,npsRespondedAt,openTickets,ticketsLast90Days,"
            + "slaBreachesLast90Days,reopensLast90Days,reasons\r\n";

    private Csv() {
    }

    static String rows(List<RankedCustomer> chunk) {
        StringBuilder out = new StringBuilder(chunk.size() * 200);
        for (RankedCustomer c : chunk) {
            RankedCustomer.Signals s = c.signals();
            out.append(c.rank()).append(',')
                    .append(field(c.customerId())).append(',')
                    .append(number(c.score())).append(',')
                    .append(number(c.clv())).append(',')
                    .append(number(c.probabilityAlive())).append(',')
                    .append(number(c.expectedPurchases())).append(',')
                    .append(number(c.referralValue())).append(',')
                    .append(c.previousProbabilityAlive() == null ? "" : number(c.previousProbabilityAlive())).append(',')
                    .append(text(s.npsScore())).append(',')
                    .append(text(s.npsCategory())).append(',')
                    .append(text(s.npsRespondedAt())).append(',')
                    .append(text(s.openTickets())).append(',')
                    .append(text(s.ticketsLast90Days())).append(',')
                    .append(text(s.slaBreachesLast90Days())).append(',')
                    .append(text(s.reopensLast90Days())).append(',')
                    .append(field(String.join("; ", c.reasons())))
                    .append("\r\n");
        }
        return out.toString();
    }

    static String field(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static String text(Object value) {
        return value == null ? "" : field(value.toString());
    }

    private static String number(double d) {
        if (!Double.isFinite(d)) {
            return "";
        }
        double abs = Math.abs(d);
        // Double.toString is plain (no exponent) in this range and much cheaper than BigDecimal
        return abs == 0 || (abs >= 1e-3 && abs < 1e7) ? Double.toString(d) : BigDecimal.valueOf(d).toPlainString();
    }
}
