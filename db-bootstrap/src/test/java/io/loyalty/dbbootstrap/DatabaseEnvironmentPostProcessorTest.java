package io.loyalty.dbbootstrap;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DatabaseEnvironmentPostProcessorTest {

    private final DatabaseEnvironmentPostProcessor processor = new DatabaseEnvironmentPostProcessor();

    @Test
    void oneUrlFeedsR2dbcAndFlyway() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("loyalty.database.url", "jdbc:postgresql://db.internal:5432/clv_service?sslmode=require")
                .withProperty("loyalty.database.username", "clv")
                .withProperty("loyalty.database.password", "secret");
        processor.postProcessEnvironment(env, new SpringApplication());
        assertThat(env.getProperty("spring.r2dbc.url")).isEqualTo("r2dbc:postgresql://db.internal:5432/clv_service?sslmode=require");
        assertThat(env.getProperty("spring.r2dbc.username")).isEqualTo("clv");
        assertThat(env.getProperty("spring.r2dbc.password")).isEqualTo("secret");
        assertThat(env.getProperty("spring.flyway.url")).isEqualTo("jdbc:postgresql://db.internal:5432/clv_service?sslmode=require");
        assertThat(env.getProperty("spring.flyway.user")).isEqualTo("clv");
    }

    @Test
    void anExplicitR2dbcUrlIsLeftAlone() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("spring.r2dbc.url", "r2dbc:postgresql://elsewhere/db")
                .withProperty("loyalty.database.url", "jdbc:postgresql://ignored/db");
        processor.postProcessEnvironment(env, new SpringApplication());
        assertThat(env.getProperty("spring.r2dbc.url")).isEqualTo("r2dbc:postgresql://elsewhere/db");
        assertThat(env.getProperty("spring.flyway.url")).isNull();
    }

    @Test
    void theEmbeddedServerCanBeSwitchedOff() {
        MockEnvironment env = new MockEnvironment().withProperty("loyalty.database.embedded.enabled", "false");
        processor.postProcessEnvironment(env, new SpringApplication());
        assertThat(env.getProperty("spring.r2dbc.url")).isNull();
    }

    @Test
    void onlyPostgresJdbcUrlsAreAccepted() {
        assertThatIllegalArgumentException().isThrownBy(() -> DatabaseEnvironmentPostProcessor.toR2dbcUrl("postgres://x/y"))
                .withMessageContaining("jdbc:postgresql://");
    }
}
