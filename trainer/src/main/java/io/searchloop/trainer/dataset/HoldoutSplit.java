package io.searchloop.trainer.dataset;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A stable train/holdout split by a hash of the normalized query: the same query falls on the same
 * side in every training round and every process, so a holdout query is never trained on in any
 * version. Changing the fraction moves only the queries whose bucket crosses it.
 */
public record HoldoutSplit(double holdoutFraction) {
    private static final int BUCKETS = 10_000;

    public HoldoutSplit {
        if (holdoutFraction < 0 || holdoutFraction >= 1) {
            throw new IllegalArgumentException(
                    "holdout fraction must be in [0, 1), got " + holdoutFraction);
        }
    }

    public boolean isHoldout(String normalizedQuery) {
        return bucket(normalizedQuery) < holdoutFraction * BUCKETS;
    }

    static int bucket(String normalizedQuery) {
        try {
            byte[] d =
                    MessageDigest.getInstance("SHA-256")
                            .digest(normalizedQuery.getBytes(StandardCharsets.UTF_8));
            int v =
                    ((d[0] & 0xff) << 24)
                            | ((d[1] & 0xff) << 16)
                            | ((d[2] & 0xff) << 8)
                            | (d[3] & 0xff);
            return Math.floorMod(v, BUCKETS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
