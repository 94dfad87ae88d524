package io.searchloop.trainer.eval;

import io.searchloop.encoder.SentenceEncoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Checks that fine-tuning has not made the model forget general language: on a fixed set of 200
 * everyday sentences in Russian and English (none about the catalog), the ordering of all
 * pairwise similarities under the candidate must stay close to the base model's — measured as
 * Spearman's rank correlation over the sentence pairs.
 */
public final class ForgettingGuard {
    static final String SENTENCES = "/io/searchloop/trainer/general-sentences.txt";
    private final List<String> sentences;
    private final double[] reference;

    /** Measures the reference ordering with {@code base}. */
    public ForgettingGuard(SentenceEncoder base) {
        this.sentences = loadSentences();
        this.reference = pairwiseSimilarities(base, sentences);
    }

    static List<String> loadSentences() {
        try (InputStream in = ForgettingGuard.class.getResourceAsStream(SENTENCES)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + SENTENCES);
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Spearman correlation of the candidate's pairwise similarities with the base model's (1 = same ordering). */
    public double spearman(SentenceEncoder candidate) {
        return Spearman.correlation(reference, pairwiseSimilarities(candidate, sentences));
    }

    public int sentenceCount() {
        return sentences.size();
    }

    private static double[] pairwiseSimilarities(SentenceEncoder model, List<String> texts) {
        float[][] e = model.encode(texts);
        int n = e.length;
        double[] out = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dot = 0;
                for (int d = 0; d < e[i].length; d++) {
                    dot += e[i][d] * e[j][d];
                }
                out[k++] = dot;
            }
        }
        return out;
    }
}
