package io.searchloop.trainer.gate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether a candidate is promoted, why, and the figures the verdict rests on (the differences with
 * their bootstrap intervals, the forgetting scores), recorded with the version's metrics and sent
 * with its event.
 */
public record GateDecision(boolean promote, String reason, Map<String, Double> figures) {
    public GateDecision {
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    public GateDecision(boolean promote, String reason) {
        this(promote, reason, Map.of());
    }
}
