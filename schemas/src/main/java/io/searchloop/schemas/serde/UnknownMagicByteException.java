package io.searchloop.schemas.serde;

/**
 * A record does not start with the wire format's magic byte: it was not written by a
 * schema-registry serializer.
 */
public final class UnknownMagicByteException extends MalformedEventException {
    private static final long serialVersionUID = 1L;

    public UnknownMagicByteException(String message) {
        super(message);
    }
}
