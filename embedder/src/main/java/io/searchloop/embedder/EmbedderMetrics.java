package io.searchloop.embedder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.searchloop.embedder.index.IndexBuilder;
import io.searchloop.observe.PhaseProgress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedder's own metrics: the running build's phase and items encoded of planned ({@code
 * searchloop_embedder_phase*}), builds by outcome, and the active index's version number (base = 0,
 * vN = N) and item count, as the index loop last read them.
 */
public final class EmbedderMetrics {
    /** How a pass of the index loop that had work ended. */
    public static final List<String> OUTCOMES =
            List.of("activated", "switched_kept", "superseded", "failed");

    private final PhaseProgress phases;
    private final Map<String, Counter> builds = new LinkedHashMap<>();
    private volatile double activeVersion = -1;
    private volatile double activeItems;

    public EmbedderMetrics(MeterRegistry registry) {
        this.phases = new PhaseProgress("embedder", IndexBuilder.PHASES, registry, null);
        for (String outcome : OUTCOMES) {
            builds.put(
                    outcome,
                    Counter.builder("searchloop.embedder.builds")
                            .tag("outcome", outcome)
                            .description(
                                    "Index switches by outcome: activated (built and switched), switched_kept (switched to a kept index), "
                                            + "superseded (stopped for a newer request), failed (a pass of the index loop ended by an error)")
                            .register(registry));
        }
        Gauge.builder("searchloop.embedder.active.version", this, m -> m.activeVersion)
                .description(
                        "Version number of the model whose index search uses (0 = base, -1 = none yet)")
                .register(registry);
        Gauge.builder("searchloop.embedder.active.items", this, m -> m.activeItems)
                .description("Items in the active index when it was activated")
                .register(registry);
    }

    public PhaseProgress phases() {
        return phases;
    }

    public void build(String outcome) {
        Counter c = builds.get(outcome);
        if (c == null) {
            throw new IllegalArgumentException(
                    "unknown build outcome " + outcome + " (" + OUTCOMES + ")");
        }
        c.increment();
    }

    /** The active index as last read: its model version ("base" or "vN") and item count. */
    public void active(String version, long items) {
        activeVersion = versionNumber(version);
        activeItems = items;
    }

    static double versionNumber(String version) {
        if (version.matches("v\\d{1,9}")) {
            return Long.parseLong(version.substring(1));
        }
        return 0;
    }
}
