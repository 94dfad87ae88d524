package io.searchloop.schemas.config;

/** A configuration that cannot work: every problem found, in one message that names the keys. */
public final class ConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }
}
