package io.loyalty.gateway.observability;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdFilterTest {

    @Test
    void continuesAValidTraceWithANewSpan() {
        String child = RequestIdFilter.childTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
        assertThat(child).matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-00")
                .doesNotContain("00f067aa0ba902b7");
    }

    @Test
    void startsANewTraceWhenAbsentOrInvalid() {
        for (String incoming : new String[] {null, "", "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"}) {
            assertThat(RequestIdFilter.childTraceparent(incoming)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01")
                    .doesNotContain("4bf92f3577b34da6a3ce929d0e0e4736");
        }
    }

    @Test
    void newRequestIdsAreDistinctVersion4Uuids() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = RequestIdFilter.newRequestId();
            java.util.UUID uuid = java.util.UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(seen.add(id)).as(id).isTrue();
        }
    }
}
