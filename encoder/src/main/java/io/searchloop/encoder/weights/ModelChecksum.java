package io.searchloop.encoder.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The checksum of a model directory: SHA-256 over every file's relative path and content, in path
 * order. The trainer publishes it with each version; whoever loads the version checks it first.
 */
public final class ModelChecksum {
    private ModelChecksum() {}

    public static String sha256(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> files =
                    walk.filter(Files::isRegularFile)
                            .sorted(Comparator.comparing(p -> dir.relativize(p).toString()))
                            .toList();
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (Path file : files) {
                digest.update(
                        dir.relativize(file)
                                .toString()
                                .replace('\\', '/')
                                .getBytes(StandardCharsets.UTF_8));
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

    /** Throws if the directory's files do not hash to {@code expected}. */
    public static void verify(Path dir, String expected) throws IOException {
        String actual = sha256(dir);
        if (!actual.equals(expected)) {
            throw new IllegalStateException(
                    "artifact "
                            + dir
                            + " has sha256 "
                            + actual
                            + ", expected "
                            + expected
                            + ": refusing to load it");
        }
    }
}
