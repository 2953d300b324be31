package io.loyalty.k8s;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization directory. A standalone kustomize named by {@code KUSTOMIZE} (env) or
 * {@code -Dkustomize} wins; otherwise {@code kubectl kustomize}, which embeds kustomize (no pinned
 * kustomize is published in the registries our machines reach: Maven Central, npm, Debian).
 */
final class Kustomize {

    private static final long TIMEOUT_SECONDS = 60;

    private final List<String> command;

    private Kustomize(List<String> command) {
        this.command = command;
    }

    static Kustomize fromEnvironment() {
        return require(System.getenv(), System.getProperty("kustomize"));
    }

    static Kustomize require(Map<String, String> env, String explicitBinary) {
        return locate(env, explicitBinary)
                .orElseThrow(() -> new IllegalStateException(
                        "Cannot render the k8s/ overlays: neither kustomize nor kubectl was found. Install kubectl"
                                + " (it embeds kustomize v5), or point KUSTOMIZE=/path/to/kustomize (or -Dkustomize=...)"
                                + " at a standalone kustomize v5 binary. PATH was: " + env.get("PATH")));
    }

    /** The command prefix that renders a directory, or empty when no tool is installed. */
    static Optional<Kustomize> locate(Map<String, String> env, String explicitBinary) {
        String standalone = explicitBinary != null && !explicitBinary.isBlank() ? explicitBinary : env.get("KUSTOMIZE");
        if (standalone != null && !standalone.isBlank()) {
            Path binary = Path.of(standalone);
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException("KUSTOMIZE points at " + standalone + ", which is not an executable file");
            }
            return Optional.of(new Kustomize(List.of(binary.toString(), "build")));
        }
        return onPath(env.getOrDefault("PATH", ""), "kubectl")
                .map(kubectl -> new Kustomize(List.of(kubectl.toString(), "kustomize")));
    }

    private static Optional<Path> onPath(String path, String name) {
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    List<String> command() {
        return command;
    }

    /** The rendered multi-document YAML; fails with kustomize's own message when the build fails. */
    String render(Path kustomizationDir) {
        List<String> cmd = new ArrayList<>(command);
        cmd.add(kustomizationDir.toString());
        try {
            Path stderr = Files.createTempFile("kustomize", ".err");
            try {
                Process process = new ProcessBuilder(cmd)
                        .redirectError(stderr.toFile())
                        .start();
                process.getOutputStream().close();
                // read while waiting, so that neither a full pipe nor a hung process blocks past the timeout
                var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return process.getInputStream().readAllBytes();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + TIMEOUT_SECONDS + " s");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + process.exitValue() + "): "
                            + Files.readString(stderr, StandardCharsets.UTF_8).strip());
                }
                return new String(out.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(stderr);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering " + kustomizationDir, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not read the output of " + String.join(" ", cmd), e);
        }
    }
}
