package io.loyalty.clv.signals;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Plain-text channels to the two signal services (inside the platform network) and the collector. */
@Configuration(proxyBeanMethods = false)
public class SignalsConfiguration {

    @Bean
    SignalChannels signalChannels(SignalsProperties properties) {
        return new SignalChannels(
                ManagedChannelBuilder.forTarget(properties.surveyAddress()).usePlaintext().build(),
                ManagedChannelBuilder.forTarget(properties.ticketAddress()).usePlaintext().build());
    }

    @Bean
    SignalCollector signalCollector(SignalsProperties properties, SignalStore store, SignalChannels channels) {
        return new SignalCollector(properties, store, channels.survey(), channels.ticket());
    }

    record SignalChannels(ManagedChannel survey, ManagedChannel ticket) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            survey.shutdownNow();
            ticket.shutdownNow();
            survey.awaitTermination(5, TimeUnit.SECONDS);
            ticket.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
