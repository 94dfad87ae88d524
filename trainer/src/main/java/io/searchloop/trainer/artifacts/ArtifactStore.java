package io.searchloop.trainer.artifacts;

import io.searchloop.encoder.weights.ModelChecksum;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model artifacts under {@code <root>/<model name>/<version>/}. A version is written into a hidden
 * temporary directory beside its final place and renamed into place in one step, so no reader ever
 * sees half a model; files and directories are fsynced before the rename and the parent after it.
 * Leftovers of a process killed mid-write are removed by {@link #cleanLeftovers}, and versions
 * written but never recorded by {@link #removeUnrecorded}. The sha256 covers every file's relative
 * path and content, in path order, and is checked by anyone who loads the artifact.
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
            // Data and names on disk before the rename makes them visible, and the rename itself
            // after: a power cut cannot leave a
            // complete-looking vN/ with empty files.
            syncTree(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target);
            }
            syncDirectory(target.getParent());
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
                    for (Path leftover :
                            entries.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX))
                                    .toList()) {
                        LOG.warn("removing unfinished artifact {}", leftover);
                        deleteRecursively(leftover);
                        removed++;
                    }
                }
            }
        }
        return removed;
    }

    /**
     * Removes version directories of {@code modelName} that the database does not record: what a
     * trainer killed between the rename and its database commit left behind. Call it only while no
     * round of this model runs anywhere (the service holds the training lock). Returns the removed
     * versions.
     */
    public List<String> removeUnrecorded(String modelName, Set<String> recordedVersions)
            throws IOException {
        Path modelDir = root.resolve(modelName);
        if (!Files.isDirectory(modelDir)) {
            return List.of();
        }
        List<String> removed = new ArrayList<>();
        try (Stream<Path> entries = Files.list(modelDir)) {
            for (Path dir : entries.filter(Files::isDirectory).toList()) {
                String name = dir.getFileName().toString();
                if (!name.startsWith(TEMP_PREFIX) && !recordedVersions.contains(name)) {
                    LOG.warn(
                            "removing artifact {}: no model version records it (a round that died before recording it)",
                            dir);
                    deleteRecursively(dir);
                    removed.add(name);
                }
            }
        }
        if (!removed.isEmpty()) {
            syncDirectory(modelDir);
        }
        return removed;
    }

    private static void syncTree(Path dir) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths =
                    walk.sorted(Comparator.reverseOrder())
                            .toList(); // files before the directories that hold them
        }
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                syncDirectory(p);
            } else {
                try (FileChannel channel = FileChannel.open(p, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; POSIX ones can, and there it must
            // work.
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win")) {
                throw e;
            }
        }
    }

    /**
     * SHA-256 over the relative path and content of every file under {@code dir}, in path order.
     */
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
