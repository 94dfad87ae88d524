package io.searchloop.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a component's long phases (a trainer round's encoding, mining and training, an index
 * build), told three ways: gauges ({@code searchloop_<component>_phase{phase}} is 1 for the running
 * phase and 0 for the others, {@code _phase_done} and {@code _phase_planned} its units of work), a
 * log line when a phase starts, at most every {@code logEvery} while it runs, and when it ends, and
 * a {@link Listener} (the CLI's progress bar) told of every step. Phases are declared up front so
 * that the set of series never changes; "idle" is the phase between phases. Thread-safe: one writer
 * at a time is expected, readers (scrapes) may come any time.
 */
public final class PhaseProgress {
    private static final Logger LOG = LoggerFactory.getLogger(PhaseProgress.class);
    public static final String IDLE = "idle";

    /** Told of every change: the phase, units done, units planned (0 when unknown). */
    @FunctionalInterface
    public interface Listener {
        void update(String phase, long done, long planned);
    }

    private final String component;
    private final List<String> phases;
    private final Listener listener;
    private final long logEveryNanos;
    private volatile String phase = IDLE;
    private volatile long done;
    private volatile long planned;
    private long started;
    private long lastLog;

    /**
     * @param component names the gauges ({@code searchloop_<component>_phase…}) and prefixes the
     *     log lines
     * @param phases every phase {@link #begin} may be called with
     * @param registry where the gauges go; null for none (the offline CLI)
     * @param listener told of every change; null for none
     */
    public PhaseProgress(
            String component,
            List<String> phases,
            MeterRegistry registry,
            Listener listener,
            Duration logEvery) {
        this.component = component;
        List<String> all = new ArrayList<>(phases);
        all.add(0, IDLE);
        this.phases = List.copyOf(all);
        this.listener = listener;
        this.logEveryNanos = logEvery.toNanos();
        if (registry != null) {
            for (String p : this.phases) {
                Gauge.builder(
                                "searchloop." + component + ".phase",
                                this,
                                t -> t.phase.equals(p) ? 1 : 0)
                        .tag("phase", p)
                        .description(
                                "1 for the "
                                        + component
                                        + "'s running phase, 0 for the others (idle between phases)")
                        .register(registry);
            }
            Gauge.builder("searchloop." + component + ".phase.done", this, t -> t.done)
                    .description(
                            "Units of work the "
                                    + component
                                    + "'s running phase has done (items encoded, queries mined, steps trained)")
                    .register(registry);
            Gauge.builder("searchloop." + component + ".phase.planned", this, t -> t.planned)
                    .description(
                            "Units of work the "
                                    + component
                                    + "'s running phase will do in all (0 when unknown)")
                    .register(registry);
        }
    }

    public PhaseProgress(
            String component, List<String> phases, MeterRegistry registry, Listener listener) {
        this(component, phases, registry, listener, Duration.ofSeconds(10));
    }

    /** No gauges, no listener: log lines only. */
    public static PhaseProgress logOnly(String component, List<String> phases) {
        return new PhaseProgress(component, phases, null, null);
    }

    public synchronized void begin(String name, long plannedUnits) {
        if (!phases.contains(name)) {
            throw new IllegalArgumentException(
                    component + " has no phase " + name + " (phases: " + phases + ")");
        }
        logEnd();
        phase = name;
        done = 0;
        planned = Math.max(0, plannedUnits);
        started = System.nanoTime();
        lastLog = started;
        LOG.info(
                "{}: {} started{}", component, name, planned > 0 ? " (" + planned + " to do)" : "");
        tell();
    }

    /** The running phase has done {@code units} in all. */
    public synchronized void advance(long units) {
        done = units;
        long now = System.nanoTime();
        if (now - lastLog >= logEveryNanos) {
            lastLog = now;
            LOG.info("{}: {} {}", component, phase, describe(now));
        }
        tell();
    }

    /** The running phase has done {@code units} more. */
    public synchronized void add(long units) {
        advance(done + units);
    }

    /** The running phase is over; back to idle. */
    public synchronized void end() {
        if (phase.equals(IDLE)) {
            return;
        }
        logEnd();
        phase = IDLE;
        done = 0;
        planned = 0;
        tell();
    }

    private void logEnd() {
        if (!phase.equals(IDLE)) {
            LOG.info(
                    "{}: {} done in {} s{}",
                    component,
                    phase,
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9),
                    done > 0 ? " (" + describe(System.nanoTime()) + ")" : "");
        }
    }

    public String phase() {
        return phase;
    }

    public long done() {
        return done;
    }

    public long planned() {
        return planned;
    }

    private String describe(long now) {
        double seconds = (now - started) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        StringBuilder out = new StringBuilder().append(done);
        if (planned > 0) {
            out.append('/')
                    .append(planned)
                    .append(String.format(Locale.ROOT, " (%.0f %%)", 100.0 * done / planned));
        }
        out.append(
                String.format(
                        Locale.ROOT,
                        rate < 10 ? ", %.2f/s" : ", %.0f/s",
                        rate)); // training steps are slow, items fast
        if (planned > done && rate > 0) {
            out.append(String.format(Locale.ROOT, ", ETA %.0f s", (planned - done) / rate));
        }
        return out.toString();
    }

    private void tell() {
        if (listener != null) {
            listener.update(phase, done, planned);
        }
    }
}
