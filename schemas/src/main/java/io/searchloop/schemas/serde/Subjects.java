package io.searchloop.schemas.serde;

/**
 * Subject naming by topic (Confluent's TopicNameStrategy): {@code <topic>-value} and {@code
 * <topic>-key}.
 */
public final class Subjects {
    private Subjects() {}

    public static String forTopic(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
