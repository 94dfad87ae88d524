package io.searchloop.schemas.keys;

import io.searchloop.events.PairSource;
import io.searchloop.events.TrainingPair;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The key of a {@code training-pairs} record: a stable hash of (normalized query, product id) for a
 * pair shoppers produced, so that compaction keeps exactly the latest score of each pair. A
 * generated typo variant is keyed apart, by (variant, the query it was made from, product id) under
 * its own tag: a variant that happens to spell a real query can never overwrite that query's
 * observed pair (nor make a holdout judgement vanish).
 */
public final class PairKey {
    private static final byte[] VARIANT_TAG = "\u0001typo-variant".getBytes(StandardCharsets.UTF_8);

    private PairKey() {}

    /** The key of an observed pair. */
    public static String of(String normalizedQuery, String productId) {
        return hash(null, normalizedQuery, productId);
    }

    /**
     * The key of the typo variant {@code variant} of {@code sourceQuery} (both normalized) for
     * {@code productId}.
     */
    public static String ofVariant(String variant, String sourceQuery, String productId) {
        return hash(sourceQuery, variant, productId);
    }

    /**
     * The key of {@code pair} as published: a variant's if it is one ({@code AUGMENTED_TYPO}), else
     * an observed pair's.
     */
    public static String of(TrainingPair pair) {
        if (pair.getSource() == PairSource.AUGMENTED_TYPO) {
            String source = pair.getAugmentedFrom() == null ? "" : pair.getAugmentedFrom();
            return ofVariant(pair.getNormalizedQuery(), source, pair.getProductId());
        }
        return of(pair.getNormalizedQuery(), pair.getProductId());
    }

    private static String hash(String variantSource, String normalizedQuery, String productId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            if (variantSource != null) {
                sha.update(VARIANT_TAG);
                sha.update((byte) 0);
                sha.update(variantSource.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            sha.update(normalizedQuery.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(productId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
