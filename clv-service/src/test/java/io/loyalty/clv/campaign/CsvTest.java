package io.loyalty.clv.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void fieldsAreQuotedOnlyWhenRfc4180NeedsIt() {
        assertThat(Csv.field("plain")).isEqualTo("plain");
        assertThat(Csv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(Csv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Csv.field("two\r\nlines")).isEqualTo("\"two\r\nlines\"");
        assertThat(Csv.field(null)).isEmpty();
    }

    @Test
    void aRowHasEveryHeaderColumnAndEndsWithCrLf() {
        RankedCustomer c = new RankedCustomer(1, "C,1", 12.5, 100, 0.8, 2.5, 0, null,
                new RankedCustomer.Signals(3, "DETRACTOR", Instant.parse("2026-10-02T00:00:00Z"), 1, 2, 2, 0),
                List.of("detractor (NPS 3) on 2026-10-02", "2 SLA breaches in 90 days"));
        String row = Csv.rows(List.of(c));
        assertThat(row).isEqualTo("1,\"C,1\",12.5,100.0,0.8,2.5,0.0,,3,DETRACTOR,2026-10-02T00:00:00Z,1,2,2,0,"
                + "detractor (NPS 3) on 2026-10-02; 2 SLA breaches in 90 days\r\n");
        assertThat(Csv.HEADER.split(",")).hasSize(16);
        assertThat(Csv.HEADER).endsWith("\r\n");
    }
}
