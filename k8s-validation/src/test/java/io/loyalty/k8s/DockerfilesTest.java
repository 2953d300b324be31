package io.loyalty.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DockerfilesTest {

    static Stream<String> services() {
        return Overlays.SERVICES.stream();
    }

    private static String dockerfile(String service) throws IOException {
        return Files.readString(Manifests.k8sDir().getParent().resolve(service).resolve("Dockerfile"));
    }

    @ParameterizedTest
    @MethodSource("services")
    void eachServiceImageFollowsTheRules(String service) throws IOException {
        assertThat(DockerfileRules.check(dockerfile(service))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("services")
    void theImageAgreesWithItsDeployment(String service) throws IOException {
        String dockerfile = dockerfile(service);
        JsonNode deployment = Manifests.named(Overlays.rendered("base"), "Deployment", service);
        JsonNode pod = Manifests.podSpec(deployment);
        List<Integer> containerPorts = new ArrayList<>();
        pod.at("/containers/0/ports").forEach(p -> containerPorts.add(p.path("containerPort").asInt()));

        assertThat(DockerfileRules.exposedPorts(dockerfile)).containsExactlyInAnyOrderElementsOf(containerPorts);
        assertThat(DockerfileRules.uid(dockerfile)).isEqualTo(pod.at("/securityContext/runAsUser").asLong());
        assertThat(dockerfile).contains("COPY target/" + service + "-*.jar");
    }

    static Stream<Arguments> brokenDockerfiles() {
        return Stream.of(
                broken("latest base", s -> s.replaceFirst("ARG BASE_IMAGE=\\S+", "ARG BASE_IMAGE=eclipse-temurin:latest"), "not pinned"),
                broken("moving tag", s -> s.replaceFirst("ARG BASE_IMAGE=\\S+", "ARG BASE_IMAGE=eclipse-temurin:17-jre"), "moving tag"),
                broken("not Java 17", s -> s.replaceFirst("ARG BASE_IMAGE=\\S+", "ARG BASE_IMAGE=eclipse-temurin:21.0.5_11-jre"), "Java 17"),
                broken("fat jar", s -> s.replace("extract --layers --launcher", "extract"), "--layers --launcher"),
                broken("layers out of order", s -> s.replaceFirst("(COPY --from=extract /builder/extracted/dependencies/ \\./)\\n(COPY --from=extract /builder/extracted/spring-boot-loader/ \\./)",
                        "$2\n$1"), "expected [dependencies"),
                broken("root user", s -> s.replace("USER 10001:10001", "USER root"), "numeric non-root"),
                broken("uid 0", s -> s.replace("USER 10001:10001", "USER 0:0"), "numeric non-root"),
                broken("no user", s -> s.replace("USER 10001:10001", ""), "runs as root"),
                broken("unsized heap", s -> s.replace("\"-XX:MaxRAMPercentage=70.0\", \\", ""), "MaxRAMPercentage"),
                broken("shell-form entrypoint", s -> s.replaceFirst("(?s)ENTRYPOINT \\[.*", "ENTRYPOINT java -jar app.jar\n"), "exec-form"));
    }

    private static Arguments broken(String what, UnaryOperator<String> breakIt, String expected) {
        return Arguments.of(what, breakIt, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenDockerfiles")
    void eachRuleCatchesItsViolation(String what, UnaryOperator<String> breakIt, String expected) throws IOException {
        String original = dockerfile("survey-service");
        String broken = breakIt.apply(original);
        assertThat(broken).as("the mutation applies").isNotEqualTo(original);

        assertThat(DockerfileRules.check(broken)).as(what).anySatisfy(p -> assertThat(p).contains(expected));
    }
}
