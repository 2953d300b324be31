package io.loyalty.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KustomizeTest {

    @TempDir
    Path dir;

    @Test
    void withoutKustomizeOrKubectlTheFailureSaysWhatToInstall() {
        assertThat(Kustomize.locate(Map.of("PATH", dir.toString()), null)).isEmpty();
        assertThatThrownBy(() -> Kustomize.require(Map.of("PATH", dir.toString()), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("neither kustomize nor kubectl was found")
                .hasMessageContaining("KUSTOMIZE=");
    }

    @Test
    void aKustomizeThatIsNotExecutableIsReportedAsSuch() throws IOException {
        Path notABinary = Files.writeString(dir.resolve("kustomize"), "not a program");

        assertThatThrownBy(() -> Kustomize.locate(Map.of("KUSTOMIZE", notABinary.toString()), null))
                .hasMessageContaining("not an executable");
    }

    @Test
    void rendersAKustomization() throws IOException {
        Files.writeString(dir.resolve("kustomization.yaml"), "resources: [cm.yaml]\nnamespace: demo\n");
        Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n");

        var docs = Manifests.parse(Kustomize.fromEnvironment().render(dir));

        assertThat(docs).singleElement().satisfies(d -> assertThat(d.at("/metadata/namespace").asText()).isEqualTo("demo"));
    }

    @Test
    void aBrokenKustomizationFailsWithKustomizesOwnMessage() throws IOException {
        Files.writeString(dir.resolve("kustomization.yaml"), "resources: [missing.yaml]\n");

        assertThatThrownBy(() -> Kustomize.fromEnvironment().render(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("failed")
                .hasMessageContaining("missing.yaml");
    }
}
