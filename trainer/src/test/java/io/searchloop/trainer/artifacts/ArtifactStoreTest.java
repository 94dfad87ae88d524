package io.searchloop.trainer.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {

    @Test
    void shouldAppearWholeOrNotAtAll(@TempDir Path root) throws Exception {
        ArtifactStore store = new ArtifactStore(root);
        assertThatThrownBy(
                        () ->
                                store.store(
                                        "m",
                                        "v1",
                                        dir -> {
                                            Files.writeString(dir.resolve("config.json"), "{}");
                                            throw new IOException("disk full");
                                        }))
                .hasMessage("disk full");
        assertThat(store.directory("m", "v1")).doesNotExist();
        try (var entries = Files.list(root.resolve("m"))) {
            assertThat(entries).isEmpty();
        }

        ArtifactStore.Artifact artifact =
                store.store(
                        "m",
                        "v1",
                        dir -> {
                            Files.writeString(dir.resolve("config.json"), "{\"a\":1}");
                            Files.createDirectories(dir.resolve("1_Pooling"));
                            Files.writeString(dir.resolve("1_Pooling/config.json"), "{}");
                        });
        assertThat(artifact.directory()).isEqualTo(store.directory("m", "v1"));
        assertThat(artifact.sha256())
                .hasSize(64)
                .isEqualTo(ArtifactStore.sha256(artifact.directory()));
        ArtifactStore.verify(artifact.directory(), artifact.sha256());
    }

    @Test
    void shouldDetectAChangedFileAndCleanLeftovers(@TempDir Path root) throws Exception {
        ArtifactStore store = new ArtifactStore(root);
        ArtifactStore.Artifact artifact =
                store.store(
                        "m",
                        "v1",
                        dir -> Files.writeString(dir.resolve("model.safetensors"), "weights"));
        Files.writeString(artifact.directory().resolve("model.safetensors"), "tampered");
        assertThatThrownBy(() -> ArtifactStore.verify(artifact.directory(), artifact.sha256()))
                .hasMessageContaining("refusing to load");

        Files.createDirectories(root.resolve("m/.tmp-v2-123"));
        assertThat(store.cleanLeftovers()).isEqualTo(1);
        assertThat(root.resolve("m/.tmp-v2-123")).doesNotExist();
        assertThat(artifact.directory()).exists();
    }

    @Test
    void shouldRemoveOnlyVersionsTheDatabaseDoesNotRecord(@TempDir Path root) throws Exception {
        ArtifactStore store = new ArtifactStore(root);
        store.store("m", "v1", dir -> Files.writeString(dir.resolve("model.safetensors"), "one"));
        store.store(
                "m",
                "v2",
                dir ->
                        Files.writeString(
                                dir.resolve("model.safetensors"),
                                "two, killed before its row was written"));
        store.store(
                "other",
                "v7",
                dir -> Files.writeString(dir.resolve("model.safetensors"), "another model's"));

        assertThat(store.removeUnrecorded("m", java.util.Set.of("v1"))).containsExactly("v2");
        assertThat(root.resolve("m/v1")).exists();
        assertThat(root.resolve("m/v2")).doesNotExist();
        assertThat(root.resolve("other/v7")).exists();
        // v2 can be written again now (a reserved number is never reused, but a restored database
        // might ask).
        store.store("m", "v2", dir -> Files.writeString(dir.resolve("model.safetensors"), "two"));
    }
}
