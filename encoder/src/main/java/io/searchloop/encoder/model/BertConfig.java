package io.searchloop.encoder.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The architecture of a BERT encoder, field for field as Hugging Face's {@code config.json}
 * names it. Only {@code model_type: bert} with absolute positions is accepted; anything else is
 * refused with a message naming the field, since a silently different architecture would give
 * plausible-looking but wrong embeddings.
 */
public record BertConfig(
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int intermediateSize,
        int maxPositions,
        int typeVocabSize,
        double layerNormEps,
        String hiddenAct) {

    static final Set<String> ACTIVATIONS = Set.of("gelu", "gelu_new", "gelu_pytorch_tanh", "relu");

    public BertConfig {
        List<String> problems = new ArrayList<>();
        if (vocabSize < 1 || hiddenSize < 1 || numLayers < 1 || numHeads < 1 || intermediateSize < 1 || maxPositions < 1 || typeVocabSize < 1) {
            problems.add("sizes must be positive");
        }
        if (numHeads > 0 && hiddenSize % numHeads != 0) {
            problems.add("hidden_size " + hiddenSize + " is not a multiple of num_attention_heads " + numHeads);
        }
        if (!(layerNormEps > 0)) {
            problems.add("layer_norm_eps must be > 0");
        }
        if (!ACTIVATIONS.contains(hiddenAct)) {
            problems.add("hidden_act " + hiddenAct + " is not one of " + ACTIVATIONS);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid BERT config: " + String.join("; ", problems));
        }
    }

    public int headSize() {
        return hiddenSize / numHeads;
    }

    public static BertConfig read(Path configJson) throws IOException {
        JsonNode json = new ObjectMapper().readTree(configJson.toFile());
        String type = json.path("model_type").asText("");
        if (!type.equals("bert")) {
            throw new IllegalArgumentException(configJson + ": model_type '" + type + "' is not supported (only 'bert')");
        }
        String positions = json.path("position_embedding_type").asText("absolute");
        if (!positions.equals("absolute")) {
            throw new IllegalArgumentException(configJson + ": position_embedding_type '" + positions + "' is not supported (only 'absolute')");
        }
        List<String> missing = new ArrayList<>();
        for (String key : List.of("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size")) {
            if (!json.hasNonNull(key)) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(configJson + " lacks " + missing);
        }
        return new BertConfig(
                json.path("vocab_size").asInt(),
                json.path("hidden_size").asInt(),
                json.path("num_hidden_layers").asInt(),
                json.path("num_attention_heads").asInt(),
                json.path("intermediate_size").asInt(),
                json.path("max_position_embeddings").asInt(512),
                json.path("type_vocab_size").asInt(2),
                json.path("layer_norm_eps").asDouble(1e-12),
                json.path("hidden_act").asText("gelu"));
    }

    public void write(Path configJson) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode json = mapper.createObjectNode();
        json.putArray("architectures").add("BertModel");
        json.put("model_type", "bert");
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
        json.put("pad_token_id", 0);
        json.put("position_embedding_type", "absolute");
        json.put("torch_dtype", "float32");
        mapper.writerWithDefaultPrettyPrinter().writeValue(configJson.toFile(), json);
    }
}
