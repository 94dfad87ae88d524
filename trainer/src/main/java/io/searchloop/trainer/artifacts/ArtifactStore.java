package io.searchloop.trainer.artifacts;

import io.searchloop.encoder.weights.ModelChecksum;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model artifacts under {@code <root>/<model name>/<version>/}. A version is written into a
 * hidden temporary directory beside its final place and renamed into place in one step, so no
 * reader ever sees half a model; leftovers of a process killed mid-write are removed by
 * {@link #cleanLeftovers}. The sha256 covers every file's relative path and content, in path
 * order, and is checked by anyone who loads the artifact.
 */
public final class ArtifactStore {
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactStore.class);
    private static final String TEMP_PREFIX = ".tmp-";

    /** A stored version: where it is and its checksum. */
    public record Artifact(Path directory, String sha256) {
        public String uri() {
            return directory.toUri().toString();
        }
    }

    /** Writes the files of a version into the given (temporary) directory. */
    @FunctionalInterface
    public interface Writer {
        void write(Path directory) throws IOException;
    }

    private final Path root;

    public ArtifactStore(Path root) {
        this.root = root;
    }

    public Path directory(String modelName, String version) {
        return root.resolve(modelName).resolve(version);
    }

    public Artifact store(String modelName, String version, Writer writer) throws IOException {
        Path target = directory(modelName, version);
        if (Files.exists(target)) {
            throw new IllegalStateException("artifact " + target + " already exists");
        }
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempDirectory(target.getParent(), TEMP_PREFIX + version + "-");
        try {
            writer.write(temp);
            String sha = sha256(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target);
            }
            return new Artifact(target, sha);
        } finally {
            deleteRecursively(temp);
        }
    }

    /** Removes temporary directories left by a process that died while writing. */
    public int cleanLeftovers() throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> models = Files.list(root)) {
            for (Path model : models.filter(Files::isDirectory).toList()) {
                try (Stream<Path> entries = Files.list(model)) {
                    for (Path leftover : entries.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX)).toList()) {
                        LOG.warn("removing unfinished artifact {}", leftover);
                        deleteRecursively(leftover);
                        removed++;
                    }
                }
            }
        }
        return removed;
    }

    /** SHA-256 over the relative path and content of every file under {@code dir}, in path order. */
    public static String sha256(Path dir) throws IOException {
        return ModelChecksum.sha256(dir);
    }

    /** Throws if the artifact's files do not hash to {@code expected}. */
    public static void verify(Path dir, String expected) throws IOException {
        ModelChecksum.verify(dir, expected);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
