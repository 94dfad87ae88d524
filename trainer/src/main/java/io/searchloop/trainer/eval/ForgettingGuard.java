package io.searchloop.trainer.eval;

import io.searchloop.encoder.TextEncoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures whether fine-tuning made a model forget general language: on a small graded
 * sentence-similarity set shipped with the trainer (English and Russian everyday sentence pairs,
 * each with a gold similarity written for this project), a model's score is Spearman's rank
 * correlation between its cosine similarities and the gold scores. The guard holds the score of the
 * model its lineage started from (whatever base that was), measured once; the gate compares a
 * candidate with it (cumulative drift) and with the production model (per-round drift).
 */
public final class ForgettingGuard {
    static final String PAIRS = "/io/searchloop/trainer/graded-sentence-pairs.tsv";

    /**
     * One graded pair: its language, its two sentences and their gold similarity (0 = unrelated, 5
     * = same meaning).
     */
    public record GradedPair(String language, String first, String second, double gold) {}

    /**
     * A model's score on the set: Spearman against the gold similarities over all pairs, and per
     * language.
     */
    public record Score(double spearman, double english, double russian) {}

    private final List<GradedPair> pairs;
    private final Score base;

    /** Scores the lineage's {@code base} model once. */
    public ForgettingGuard(TextEncoder base) {
        this.pairs = loadPairs();
        this.base = score(base);
    }

    /** The score of the model the lineage started from. */
    public Score base() {
        return base;
    }

    public int pairCount() {
        return pairs.size();
    }

    /** Scores {@code model} against the gold similarities. */
    public Score score(TextEncoder model) {
        Map<String, Integer> row = new LinkedHashMap<>();
        pairs.forEach(
                p -> {
                    row.putIfAbsent(p.first(), row.size());
                    row.putIfAbsent(p.second(), row.size());
                });
        float[][] e = model.encode(new ArrayList<>(row.keySet()));
        double[] similarities = new double[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            float[] a = e[row.get(pairs.get(i).first())];
            float[] b = e[row.get(pairs.get(i).second())];
            double dot = 0;
            for (int d = 0; d < a.length; d++) {
                dot += a[d] * b[d];
            }
            similarities[i] = dot;
        }
        return new Score(
                goldSpearman(similarities, null),
                goldSpearman(similarities, "en"),
                goldSpearman(similarities, "ru"));
    }

    private double goldSpearman(double[] similarities, String language) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            if (language == null || pairs.get(i).language().equals(language)) {
                rows.add(i);
            }
        }
        return Spearman.correlation(
                rows.stream().mapToDouble(i -> similarities[i]).toArray(),
                rows.stream().mapToDouble(i -> pairs.get(i).gold()).toArray());
    }

    static List<GradedPair> loadPairs() {
        try (InputStream in = ForgettingGuard.class.getResourceAsStream(PAIRS)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + PAIRS);
            }
            List<GradedPair> out = new ArrayList<>();
            List<String> lines =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                            .lines()
                            .toList();
            for (int n = 0; n < lines.size(); n++) {
                String line = lines.get(n);
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 4) {
                    throw new IllegalStateException(
                            PAIRS
                                    + " line "
                                    + (n + 1)
                                    + ": expected 4 tab-separated fields, got "
                                    + f.length);
                }
                out.add(new GradedPair(f[0], f[2], f[3], Double.parseDouble(f[1])));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
