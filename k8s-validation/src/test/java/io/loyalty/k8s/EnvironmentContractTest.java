package io.loyalty.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every environment variable the manifests give a service is one the service reads: a
 * {@code ${NAME}} placeholder in its application.yml, a property of ours under Spring's relaxed
 * binding (LOYALTY_DATABASE_URL is loyalty.database.url, which db-bootstrap reads), or a standard
 * Spring Boot / JVM variable. A renamed or misspelt variable would otherwise be silently ignored.
 */
class EnvironmentContractTest {

    /** Read by Spring Boot or the JVM themselves, not by our configuration files. */
    private static final Set<String> STANDARD = Set.of("LOGGING_STRUCTURED_FORMAT_CONSOLE", "SPRING_DATA_REDIS_URL", "JAVA_TOOL_OPTIONS");

    static Stream<String> services() {
        return Overlays.SERVICES.stream();
    }

    private static Path repository() {
        return Manifests.k8sDir().getParent();
    }

    private static String sources(Path... roots) {
        StringBuilder text = new StringBuilder();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().matches(".*\\.(ya?ml|properties|java)$")).toList()) {
                    text.append(Files.readString(file)).append('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return text.toString();
    }

    @ParameterizedTest
    @MethodSource("services")
    void theServiceReadsEveryVariableItIsGiven(String service) {
        List<ObjectNode> docs = Overlays.rendered("overlays/production");
        Set<String> given = new LinkedHashSet<>();
        Manifests.named(docs, "ConfigMap", service).path("data").fieldNames().forEachRemaining(given::add);
        for (JsonNode variable : Manifests.podSpec(Manifests.named(docs, "Deployment", service)).at("/containers/0/env")) {
            given.add(variable.path("name").asText());
        }
        List<String> unread = unread(service, given);
        assertThat(unread).as(service + " is given variables nothing reads").isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aMisspeltOrRenamedVariableIsCaught() {
        assertThat(unread("clv-service", Set.of("LOYALTY_SIGNALS_SURVEY_ADDRESS", "LOYALTY_SIGNAL_SURVEY_ADDRESS", "CLV_PORT")))
                .containsExactlyInAnyOrder("LOYALTY_SIGNAL_SURVEY_ADDRESS", "CLV_PORT");
        assertThat(unread("gateway", Set.of("LOYALTY_DATABASE_PASSWORD", "LOYALTY_DATABASE_PASS", "SURVEY_SERVICE_URL")))
                .containsExactlyInAnyOrder("LOYALTY_DATABASE_PASS", "SURVEY_SERVICE_URL");
    }

    private static List<String> unread(String service, Set<String> given) {
        String configuration = sources(repository().resolve(service).resolve("src/main/resources"));
        String code = sources(repository().resolve(service).resolve("src/main"), repository().resolve("db-bootstrap/src/main"));
        List<String> unread = new ArrayList<>();
        for (String name : given) {
            String property = name.toLowerCase().replace('_', '.');
            boolean read = configuration.contains("${" + name + ":") || configuration.contains("${" + name + "}")
                    || code.contains("\"" + property + "\"") || STANDARD.contains(name);
            if (!read) {
                unread.add(name);
            }
        }
        return unread;
    }
}
