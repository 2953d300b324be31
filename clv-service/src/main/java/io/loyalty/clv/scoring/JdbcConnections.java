package io.loyalty.clv.scoring;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Plain JDBC connections for the scoring run's cursor read and COPY (pgjdbc CopyManager), using the URL
 * db-bootstrap sets for Flyway. The request paths stay on R2DBC.
 */
@Component
public class JdbcConnections {

    private final Environment environment;

    public JdbcConnections(Environment environment) {
        this.environment = environment;
    }

    public Connection open() throws SQLException {
        String url = environment.getProperty("spring.flyway.url");
        if (url == null) {
            throw new IllegalStateException("spring.flyway.url is not set (db-bootstrap sets it from loyalty.database.url)");
        }
        Properties props = new Properties();
        String user = environment.getProperty("spring.flyway.user");
        String password = environment.getProperty("spring.flyway.password");
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("ApplicationName", "clv-scoring");
        return DriverManager.getConnection(url, props);
    }
}
