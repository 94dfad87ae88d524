package io.searchloop.search.guard;

import io.searchloop.search.http.ApiException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks impression tokens: what {@code /v1/search} showed to whom, so that {@code
 * /v1/interactions} accepts engagements only with what was shown. A token is {@code
 * keyId.payload.mac} (base64url): the payload holds the issue time, request id, session id and an
 * 8-byte SHA-256 prefix of each shown product id in rank order; the MAC is HMAC-SHA256 over key id
 * and payload. The first key signs; every configured key (two during a rotation) verifies. Tokens
 * older than the time-to-live are refused.
 */
public final class ImpressionTokens {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final int MAX_TOKEN = 4096;

    /** A signing key: its id (carried in the token) and secret. */
    // equals, hashCode and toString below handle the array (contents, never printed).
    @SuppressWarnings("ArrayRecordComponent")
    public record Key(String id, byte[] secret) {
        public Key {
            if (!id.matches("[A-Za-z0-9_-]{1,32}") || secret.length < 16) {
                throw new IllegalArgumentException(
                        "an impression key needs an id of 1-32 letters, digits, '_' or '-' and at least 16 secret bytes");
            }
        }

        /** A fresh random key, for a single instance that has none configured. */
        public static Key random() {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            return new Key("local", secret);
        }

        // A record compares arrays by identity; two keys with the same id and secret are the same
        // key (so two configurations read from the same IMPRESSION_KEYS are equal).
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && id.equals(k.id) && MessageDigest.isEqual(secret, k.secret);
        }

        @Override
        public int hashCode() {
            return id.hashCode();
        }

        @Override
        public String toString() {
            return "Key[" + id + ", ****]";
        }
    }

    /** A verified token: the search it was issued for and what it showed. */
    public record Impression(
            String token,
            String requestId,
            String sessionId,
            Instant issuedAt,
            List<String> shownHashes) {
        /** 1-based position the product was shown at, or 0 if it was not shown. */
        public int positionOf(String productId) {
            int at = shownHashes.indexOf(hash(productId));
            return at + 1;
        }
    }

    private final List<Key> keys;
    private final Duration ttl;

    public ImpressionTokens(List<Key> keys, Duration ttl) {
        if (keys.isEmpty() || keys.size() > 2) {
            throw new IllegalArgumentException(
                    "one signing key, or two during a rotation, got " + keys.size());
        }
        this.keys = List.copyOf(keys);
        this.ttl = ttl;
    }

    public String issue(
            String requestId, String sessionId, List<String> shownIds, Instant issuedAt) {
        byte[] request = requestId.getBytes(StandardCharsets.UTF_8);
        byte[] session =
                sessionId == null ? new byte[0] : sessionId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload =
                ByteBuffer.allocate(
                        8 + 2 + request.length + 2 + session.length + 1 + 2 + 8 * shownIds.size());
        payload.putLong(issuedAt.toEpochMilli()).putShort((short) request.length).put(request);
        payload.putShort((short) session.length)
                .put(session)
                .put((byte) (sessionId == null ? 0 : 1));
        payload.putShort((short) shownIds.size());
        for (String id : shownIds) {
            payload.put(B64D.decode(hash(id)));
        }
        Key key = keys.get(0);
        String body = key.id() + "." + B64.encodeToString(payload.array());
        return body + "." + B64.encodeToString(mac(key, body));
    }

    /**
     * The token's impression; a 4xx {@link ApiException} when it is malformed, forged or expired.
     */
    public Impression verify(String token, Instant now) {
        if (token == null || token.isEmpty()) {
            throw new ApiException(400, "impressionToken is required (as returned by /v1/search)");
        }
        String[] parts = token.split("\\.", -1);
        if (token.length() > MAX_TOKEN || parts.length != 3) {
            throw new ApiException(400, "impressionToken is malformed");
        }
        Key key =
                keys.stream()
                        .filter(k -> k.id().equals(parts[0]))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new ApiException(
                                                401,
                                                "impressionToken is signed with an unknown key"));
        byte[] given;
        byte[] payload;
        try {
            given = B64D.decode(parts[2]);
            payload = B64D.decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "impressionToken is malformed");
        }
        if (!MessageDigest.isEqual(given, mac(key, parts[0] + "." + parts[1]))) {
            throw new ApiException(401, "impressionToken signature does not match");
        }
        Instant issued;
        String requestId;
        String sessionId;
        boolean hasSession;
        List<String> shown = new ArrayList<>();
        try {
            ByteBuffer in = ByteBuffer.wrap(payload);
            issued = Instant.ofEpochMilli(in.getLong());
            requestId = string(in);
            sessionId = string(in);
            hasSession = in.get() == 1;
            int count = in.getShort();
            for (int i = 0; i < count; i++) {
                byte[] h = new byte[8];
                in.get(h);
                shown.add(B64.encodeToString(h));
            }
        } catch (java.nio.BufferUnderflowException
                | NegativeArraySizeException
                | java.time.DateTimeException e) {
            throw new ApiException(
                    400,
                    "impressionToken payload is malformed"); // signed by a key of ours, yet not
            // what this version writes
        }
        if (issued.plus(ttl).isBefore(now)) {
            throw new ApiException(410, "impressionToken expired (older than " + ttl + ")");
        }
        if (issued.isAfter(now.plusSeconds(60))) {
            throw new ApiException(400, "impressionToken is issued in the future");
        }
        return new Impression(parts[2], requestId, hasSession ? sessionId : null, issued, shown);
    }

    public Duration ttl() {
        return ttl;
    }

    private static String string(ByteBuffer in) {
        byte[] b = new byte[in.getShort()];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    static String hash(String productId) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(productId.getBytes(StandardCharsets.UTF_8));
            return B64.encodeToString(java.util.Arrays.copyOf(digest, 8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static byte[] mac(Key key, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.secret(), "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
