package io.searchloop.app;

import io.searchloop.embedder.EmbedderConfig;
import io.searchloop.pairs.PairBuilderConfig;
import io.searchloop.search.SearchConfig;
import io.searchloop.trainer.TrainerConfig;
import java.util.Set;
import java.util.TreeSet;

/** The environment variables the launcher's commands read, from the configuration records. */
public final class ServiceKeys {
    private ServiceKeys() {}

    /** Every variable the four services read ({@code PAIR_STREAMS_*} overrides aside). */
    public static Set<String> services() {
        Set<String> keys = new TreeSet<>(PairBuilderConfig.keys());
        keys.addAll(TrainerConfig.keys());
        keys.addAll(EmbedderConfig.keys());
        keys.addAll(SearchConfig.keys());
        return keys;
    }

    /** The services' variables and those of {@code ./run topics}. */
    static Set<String> all() {
        Set<String> keys = services();
        keys.addAll(TopicsConfig.keys());
        return keys;
    }
}
