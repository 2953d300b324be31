package io.loyalty.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * k8s/build-images.sh, copied unchanged into a scratch tree with stand-in jars and a stand-in docker that
 * records its arguments (no Docker engine here): what it builds, tags and pushes.
 */
class BuildImagesScriptTest {

    private static final List<String> SERVICES = List.of("survey-service", "ticket-service", "clv-service", "gateway");

    @TempDir
    Path root;
    private Path dockerLog;
    private Path docker;

    @BeforeEach
    void scratchTree() throws IOException {
        Files.createDirectories(root.resolve("k8s"));
        Files.copy(Manifests.k8sDir().resolve("build-images.sh"), root.resolve("k8s/build-images.sh"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String service : SERVICES) {
            Files.createDirectories(root.resolve(service).resolve("target"));
            Files.writeString(root.resolve(service).resolve("target").resolve(service + "-0.1.0-SNAPSHOT.jar"), "jar");
        }
        dockerLog = root.resolve("docker.log");
        docker = root.resolve("fake-docker");
        Files.writeString(docker, "#!/bin/sh\necho \"$*\" >> '" + dockerLog + "'\n");
        Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Result(int exit, String output) {
    }

    private Result run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", root.resolve("k8s/build-images.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DOCKER", docker.toString());
        builder.environment().put("SKIP_MAVEN", "1");
        builder.environment().remove("BASE_IMAGE");
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private List<String> dockerCalls() throws IOException {
        return Files.exists(dockerLog) ? Files.readAllLines(dockerLog) : List.of();
    }

    @Test
    void buildsEachServiceFromItsOwnDirectoryThenPushesIt() throws Exception {
        Result result = run(Map.of("BASE_IMAGE", "eclipse-temurin:17.0.15_6-jre-noble@sha256:abc"), "registry.example.com/loyalty/", "1.2.3");

        assertThat(result.exit()).as(result.output()).isZero();
        List<String> expected = new java.util.ArrayList<>();
        for (String service : SERVICES) {
            expected.add("build --build-arg BASE_IMAGE=eclipse-temurin:17.0.15_6-jre-noble@sha256:abc --tag registry.example.com/loyalty/"
                    + service + ":1.2.3 " + service);
            expected.add("push registry.example.com/loyalty/" + service + ":1.2.3");
        }
        assertThat(dockerCalls()).containsExactlyElementsOf(expected);
        assertThat(result.output()).contains("kustomize edit set image loyalty/gateway=registry.example.com/loyalty/gateway:1.2.3");
    }

    @Test
    void noPushBuildsOnlyWithTheNamesTheLocalOverlayUses() throws Exception {
        Result result = run(Map.of(), "loyalty", "0.1.0", "--no-push");

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(dockerCalls()).containsExactly(
                "build --tag loyalty/survey-service:0.1.0 survey-service",
                "build --tag loyalty/ticket-service:0.1.0 ticket-service",
                "build --tag loyalty/clv-service:0.1.0 clv-service",
                "build --tag loyalty/gateway:0.1.0 gateway");
    }

    @Test
    void refusesLatestAndMalformedTagsBeforeBuildingAnything() throws Exception {
        assertThat(run(Map.of(), "loyalty", "latest").exit()).isEqualTo(2);
        assertThat(run(Map.of(), "loyalty", "Latest").exit()).isEqualTo(2);
        assertThat(run(Map.of(), "loyalty", "1.2.3:bad").exit()).isEqualTo(2);
        assertThat(run(Map.of(), "loyalty").exit()).isEqualTo(2);
        assertThat(run(Map.of(), "loyalty", "1.2.3", "--force").exit()).isEqualTo(2);
        assertThat(dockerCalls()).isEmpty();
    }

    @Test
    void stopsWhenAServiceJarIsMissing() throws Exception {
        Files.delete(root.resolve("clv-service/target/clv-service-0.1.0-SNAPSHOT.jar"));

        Result result = run(Map.of(), "loyalty", "0.1.0", "--no-push");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.output()).contains("clv-service/target/clv-service-*.jar");
        assertThat(dockerCalls()).containsExactly(
                "build --tag loyalty/survey-service:0.1.0 survey-service",
                "build --tag loyalty/ticket-service:0.1.0 ticket-service");
    }
}
