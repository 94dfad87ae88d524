package io.searchloop.trainer.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
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
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> files = walk.filter(Files::isRegularFile).sorted(Comparator.comparing(p -> dir.relativize(p).toString())).toList();
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (Path file : files) {
                digest.update(dir.relativize(file).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                try (InputStream in = Files.newInputStream(file)) {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        digest.update(buffer, 0, n);
                    }
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Throws if the artifact's files do not hash to {@code expected}. */
    public static void verify(Path dir, String expected) throws IOException {
        String actual = sha256(dir);
        if (!actual.equals(expected)) {
            throw new IllegalStateException("artifact " + dir + " has sha256 " + actual + ", expected " + expected + ": refusing to load it");
        }
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
