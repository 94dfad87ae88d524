package io.searchloop.schemas.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short hash of the text an embedding was made from: an unchanged text is never embedded twice
 * within a version, and embeddings computed elsewhere (the trainer's, shipped with an artifact; the
 * active index's, read by the trainer) are reused only for the same text.
 */
public final class TextHash {
    private TextHash() {}

    public static String of(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)),
                            0,
                            16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
