package io.searchloop.trainer.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The paired bootstrap of a per-query metric's mean difference between two models: queries are
 * resampled with replacement, both models' values of a query travel together, and the percentile
 * interval of the resampled mean differences says how much of the observed difference is noise.
 * Seeded: the same values give the same interval in every run.
 */
public final class PairedBootstrap {
    private PairedBootstrap() {}

    /** The observed mean difference and its two-sided {@code confidence} percentile interval. */
    public record Interval(
            double mean, double lower, double upper, double confidence, int queries) {}

    /**
     * The mean of candidate minus production over the queries both have, with its bootstrap
     * interval.
     *
     * @param candidate per query (key) the candidate's value
     * @param production per query the production model's value; only queries in both are paired
     */
    public static Interval meanDifference(
            Map<String, Double> candidate,
            Map<String, Double> production,
            double confidence,
            int samples,
            long seed) {
        if (!(confidence > 0 && confidence < 1) || samples < 1) {
            throw new IllegalArgumentException(
                    "bootstrap needs a confidence in (0, 1) and samples >= 1, got "
                            + confidence
                            + ", "
                            + samples);
        }
        List<String> queries = new ArrayList<>(candidate.keySet());
        queries.retainAll(production.keySet());
        queries.sort(null); // pairing and resampling must not depend on map order
        int n = queries.size();
        if (n == 0) {
            return new Interval(0, 0, 0, confidence, 0);
        }
        double[] differences = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            differences[i] = candidate.get(queries.get(i)) - production.get(queries.get(i));
            sum += differences[i];
        }
        Random random = new Random(seed);
        double[] means = new double[samples];
        for (int s = 0; s < samples; s++) {
            double resampled = 0;
            for (int i = 0; i < n; i++) {
                resampled += differences[random.nextInt(n)];
            }
            means[s] = resampled / n;
        }
        Arrays.sort(means);
        double tail = (1 - confidence) / 2;
        return new Interval(
                sum / n, quantile(means, tail), quantile(means, 1 - tail), confidence, n);
    }

    /** The {@code q} quantile of sorted values, interpolating between neighbours. */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
