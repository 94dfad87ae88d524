package io.searchloop.schemas.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The key of a {@code training-pairs} record: a stable hash of (normalized query, product id),
 * so that compaction keeps exactly the latest score of each pair.
 */
public final class PairKey {
    private PairKey() {}

    public static String of(String normalizedQuery, String productId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(normalizedQuery.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(productId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
