package io.loyalty.clv;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ClvServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(ClvServiceApplication.class, args);
    }
}
