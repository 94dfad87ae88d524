package io.searchloop.encoder.model;

import io.searchloop.encoder.weights.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parameter names and shapes of Hugging Face's {@code BertModel} for a config, in its
 * state-dict order. The single source of truth for import validation, the forward pass and export.
 */
public final class BertParameters {
    /**
     * How checkpoints saved from a task model ({@code BertForMaskedLM}, {@code
     * XLMRobertaForMaskedLM}) prefix the encoder.
     */
    private static final Set<String> PREFIXES = Set.of("bert", "roberta");

    private BertParameters() {}

    /** A checkpoint's tensor name without a task model's {@code bert.}/{@code roberta.} prefix. */
    public static String canonicalName(String name) {
        int dot = name.indexOf('.');
        return dot > 0 && PREFIXES.contains(name.substring(0, dot))
                ? name.substring(dot + 1)
                : name;
    }

    /**
     * What keeps checkpoint tensors of these shapes from being {@code config}'s encoder: missing
     * tensors and wrong shapes, names canonicalised, the pooler optional. Empty when they fit.
     */
    public static List<String> mismatches(BertConfig config, Map<String, long[]> shapes) {
        Map<String, long[]> named = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> named.put(canonicalName(name), shape));
        List<String> problems = new ArrayList<>();
        expected(config)
                .forEach(
                        (name, shape) -> {
                            long[] actual = named.get(name);
                            if (actual == null && !name.startsWith("pooler.")) {
                                problems.add("missing tensor " + name);
                            } else if (actual != null && !Arrays.equals(actual, shape)) {
                                problems.add(
                                        name
                                                + " has shape "
                                                + Arrays.toString(actual)
                                                + ", config needs "
                                                + Arrays.toString(shape));
                            }
                        });
        return problems;
    }

    /** {@link #mismatches} as one message, at most eight of them spelled out. */
    public static String describe(List<String> problems) {
        int shown = Math.min(problems.size(), 8);
        return String.join("; ", problems.subList(0, shown))
                + (problems.size() > shown ? "; and " + (problems.size() - shown) + " more" : "");
    }

    public static String layer(int i, String suffix) {
        return "encoder.layer." + i + "." + suffix;
    }

    public static Map<String, long[]> expected(BertConfig c) {
        long h = c.hiddenSize();
        long inter = c.intermediateSize();
        Map<String, long[]> p = new LinkedHashMap<>();
        p.put("embeddings.word_embeddings.weight", new long[] {c.vocabSize(), h});
        p.put("embeddings.position_embeddings.weight", new long[] {c.maxPositions(), h});
        p.put("embeddings.token_type_embeddings.weight", new long[] {c.typeVocabSize(), h});
        p.put("embeddings.LayerNorm.weight", new long[] {h});
        p.put("embeddings.LayerNorm.bias", new long[] {h});
        for (int i = 0; i < c.numLayers(); i++) {
            for (String proj : new String[] {"query", "key", "value"}) {
                p.put(layer(i, "attention.self." + proj + ".weight"), new long[] {h, h});
                p.put(layer(i, "attention.self." + proj + ".bias"), new long[] {h});
            }
            p.put(layer(i, "attention.output.dense.weight"), new long[] {h, h});
            p.put(layer(i, "attention.output.dense.bias"), new long[] {h});
            p.put(layer(i, "attention.output.LayerNorm.weight"), new long[] {h});
            p.put(layer(i, "attention.output.LayerNorm.bias"), new long[] {h});
            p.put(layer(i, "intermediate.dense.weight"), new long[] {inter, h});
            p.put(layer(i, "intermediate.dense.bias"), new long[] {inter});
            p.put(layer(i, "output.dense.weight"), new long[] {h, inter});
            p.put(layer(i, "output.dense.bias"), new long[] {h});
            p.put(layer(i, "output.LayerNorm.weight"), new long[] {h});
            p.put(layer(i, "output.LayerNorm.bias"), new long[] {h});
        }
        p.put("pooler.dense.weight", new long[] {h, h});
        p.put("pooler.dense.bias", new long[] {h});
        return p;
    }

    /**
     * Whether a parameter is exempt from weight decay (biases and LayerNorm), as in BERT's recipe.
     */
    public static boolean noDecay(String name) {
        return name.endsWith(".bias") || name.contains("LayerNorm");
    }

    /**
     * {@code tensors} plus an identity pooler when it has none: the pooler takes no part in
     * sentence embeddings, but {@code BertModel} expects one to load without re-initialising it.
     */
    public static Map<String, Tensor> withDefaultPooler(
            BertConfig config, Map<String, Tensor> tensors) {
        if (tensors.containsKey("pooler.dense.weight")) {
            return tensors;
        }
        int h = config.hiddenSize();
        float[] identity = new float[h * h];
        for (int i = 0; i < h; i++) {
            identity[i * h + i] = 1f;
        }
        Map<String, Tensor> out = new LinkedHashMap<>(tensors);
        out.put("pooler.dense.weight", new Tensor(new long[] {h, h}, identity));
        out.put("pooler.dense.bias", new Tensor(new long[] {h}, new float[h]));
        return out;
    }
}
