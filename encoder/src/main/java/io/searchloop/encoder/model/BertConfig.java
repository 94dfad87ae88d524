package io.searchloop.encoder.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The architecture of a BERT-family encoder, field for field as Hugging Face's {@code config.json}
 * names it. {@code model_type} {@code bert} is computed as {@code BertModel}; {@code roberta} and
 * {@code xlm-roberta} as {@code XLMRobertaModel}, which is BERT except that position ids start
 * after the padding id ({@code pad_token_id + 1}). Anything else is refused with a message naming
 * the field and the reason, since a silently different architecture would give plausible-looking
 * but wrong embeddings.
 */
public record BertConfig(
        String modelType,
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int intermediateSize,
        int maxPositions,
        int typeVocabSize,
        double layerNormEps,
        String hiddenAct,
        int padTokenId) {

    static final Set<String> ACTIVATIONS = Set.of("gelu", "gelu_new", "gelu_pytorch_tanh", "relu");

    /** The model types computed here. */
    public static final Set<String> TYPES = Set.of("bert", "roberta", "xlm-roberta");

    /** Why common encoders of other types cannot be computed by this BERT code. */
    private static final Map<String, String> REFUSALS =
            Map.ofEntries(
                    Map.entry(
                            "distilbert",
                            "no token-type embeddings and differently named layers (DistilBertModel)"),
                    Map.entry(
                            "albert",
                            "shares one layer's weights across layers and factorises the embeddings"),
                    Map.entry("deberta", "uses disentangled relative-position attention"),
                    Map.entry("deberta-v2", "uses disentangled relative-position attention"),
                    Map.entry("mpnet", "uses a learned relative-position bias in attention"),
                    Map.entry(
                            "electra",
                            "projects embeddings to a different width before the encoder"),
                    Map.entry("nomic_bert", "uses rotary position embeddings and SwiGLU"),
                    Map.entry("new", "uses rotary position embeddings (gte)"),
                    Map.entry("t5", "is an encoder-decoder with relative attention"),
                    Map.entry("mt5", "is an encoder-decoder with relative attention"),
                    Map.entry(
                            "xlm",
                            "is not XLM-RoBERTa (language embeddings, sinusoidal positions)"));

    public BertConfig {
        List<String> problems = new ArrayList<>();
        if (!TYPES.contains(modelType)) {
            problems.add("model_type " + modelType + " is not one of " + TYPES);
        }
        if (vocabSize < 1
                || hiddenSize < 1
                || numLayers < 1
                || numHeads < 1
                || intermediateSize < 1
                || maxPositions < 1
                || typeVocabSize < 1) {
            problems.add("sizes must be positive");
        }
        if (numHeads > 0 && hiddenSize % numHeads != 0) {
            problems.add(
                    "hidden_size "
                            + hiddenSize
                            + " is not a multiple of num_attention_heads "
                            + numHeads);
        }
        if (!(layerNormEps > 0)) {
            problems.add("layer_norm_eps must be > 0");
        }
        if (!ACTIVATIONS.contains(hiddenAct)) {
            problems.add("hidden_act " + hiddenAct + " is not one of " + ACTIVATIONS);
        }
        if (padTokenId < 0 || padTokenId >= Math.max(1, vocabSize)) {
            problems.add("pad_token_id " + padTokenId + " is outside the vocabulary");
        }
        if (maxPositions - positionOffset(modelType, padTokenId) < 2) {
            problems.add(
                    "max_position_embeddings "
                            + maxPositions
                            + " leaves no room for tokens after the position offset");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid BERT config: " + String.join("; ", problems));
        }
    }

    /** A plain {@code bert} config (padding id 0). */
    public BertConfig(
            int vocabSize,
            int hiddenSize,
            int numLayers,
            int numHeads,
            int intermediateSize,
            int maxPositions,
            int typeVocabSize,
            double layerNormEps,
            String hiddenAct) {
        this(
                "bert",
                vocabSize,
                hiddenSize,
                numLayers,
                numHeads,
                intermediateSize,
                maxPositions,
                typeVocabSize,
                layerNormEps,
                hiddenAct,
                0);
    }

    public int headSize() {
        return hiddenSize / numHeads;
    }

    /** Whether position ids start after the padding id, as in (XLM-)RoBERTa. */
    public boolean offsetsPositions() {
        return !modelType.equals("bert");
    }

    /**
     * The id of the first real token's position: 0 for BERT, {@code pad_token_id + 1} for
     * (XLM-)RoBERTa.
     */
    public int firstPosition() {
        return positionOffset(modelType, padTokenId);
    }

    /**
     * The most tokens (special ones included) a text may have: the position table minus its offset.
     */
    public int maxTokens() {
        return maxPositions - firstPosition();
    }

    /**
     * Parameters in the encoder (the pooler included), for memory estimates and {@code models
     * inspect}.
     */
    public long parameterCount() {
        return BertParameters.expected(this).values().stream()
                .mapToLong(
                        shape -> {
                            long n = 1;
                            for (long d : shape) {
                                n *= d;
                            }
                            return n;
                        })
                .sum();
    }

    private static int positionOffset(String modelType, int padTokenId) {
        return "bert".equals(modelType) ? 0 : padTokenId + 1;
    }

    public static BertConfig read(Path configJson) throws IOException {
        JsonNode json = new ObjectMapper().readTree(configJson.toFile());
        String type = json.path("model_type").asText("");
        if (!TYPES.contains(type)) {
            String reason =
                    REFUSALS.getOrDefault(
                            type,
                            "only "
                                    + String.join(", ", TYPES.stream().sorted().toList())
                                    + " are computed here");
            throw new IllegalArgumentException(
                    configJson + ": model_type '" + type + "' is not supported: " + reason);
        }
        List<String> refused = new ArrayList<>();
        String positions = json.path("position_embedding_type").asText("absolute");
        if (!positions.equals("absolute")) {
            refused.add(
                    "position_embedding_type '"
                            + positions
                            + "' is not supported (only 'absolute')");
        }
        if (json.path("is_decoder").asBoolean(false)
                || json.path("add_cross_attention").asBoolean(false)) {
            refused.add("is_decoder/add_cross_attention: a decoder is not a sentence encoder");
        }
        List<String> missing = new ArrayList<>();
        for (String key :
                List.of(
                        "vocab_size",
                        "hidden_size",
                        "num_hidden_layers",
                        "num_attention_heads",
                        "intermediate_size")) {
            if (!json.hasNonNull(key)) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            refused.add("lacks " + missing);
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException(configJson + ": " + String.join("; ", refused));
        }
        return new BertConfig(
                type,
                json.path("vocab_size").asInt(),
                json.path("hidden_size").asInt(),
                json.path("num_hidden_layers").asInt(),
                json.path("num_attention_heads").asInt(),
                json.path("intermediate_size").asInt(),
                json.path("max_position_embeddings").asInt(512),
                json.path("type_vocab_size").asInt(2),
                json.path("layer_norm_eps").asDouble(1e-12),
                json.path("hidden_act").asText("gelu"),
                json.path("pad_token_id").asInt(type.equals("bert") ? 0 : 1));
    }

    public void write(Path configJson) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode json = mapper.createObjectNode();
        json.putArray("architectures")
                .add(
                        switch (modelType) {
                            case "roberta" -> "RobertaModel";
                            case "xlm-roberta" -> "XLMRobertaModel";
                            default -> "BertModel";
                        });
        json.put("model_type", modelType);
        json.put("vocab_size", vocabSize);
        json.put("hidden_size", hiddenSize);
        json.put("num_hidden_layers", numLayers);
        json.put("num_attention_heads", numHeads);
        json.put("intermediate_size", intermediateSize);
        json.put("hidden_act", hiddenAct);
        json.put("hidden_dropout_prob", 0.1);
        json.put("attention_probs_dropout_prob", 0.1);
        json.put("max_position_embeddings", maxPositions);
        json.put("type_vocab_size", typeVocabSize);
        json.put("initializer_range", 0.02);
        json.put("layer_norm_eps", layerNormEps);
        json.put("pad_token_id", padTokenId);
        json.put("position_embedding_type", "absolute");
        json.put("torch_dtype", "float32");
        mapper.writerWithDefaultPrettyPrinter().writeValue(configJson.toFile(), json);
    }
}
