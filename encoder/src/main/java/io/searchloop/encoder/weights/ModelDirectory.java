package io.searchloop.encoder.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchloop.encoder.model.BertConfig;
import io.searchloop.encoder.model.BertParameters;
import io.searchloop.encoder.model.Pooling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sentence-encoder model directory in the Hugging Face / sentence-transformers layout:
 * {@code config.json}, {@code model.safetensors}, {@code tokenizer.json}, and the
 * sentence-transformers files {@code modules.json}, {@code 1_Pooling/config.json},
 * {@code 2_Normalize/}, {@code sentence_bert_config.json}. What is written loads unchanged in
 * Python's {@code SentenceTransformer(path)}; what is read may come from there.
 */
public final class ModelDirectory {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String TOKENIZER = "tokenizer.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Everything needed to build an encoder. */
    public record Contents(BertConfig config, Pooling pooling, int maxLength, Path tokenizerJson, Map<String, Tensor> weights) {}

    private ModelDirectory() {}

    public static Contents read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("model directory " + dir + " does not exist");
        }
        for (String required : new String[] {CONFIG, TOKENIZER}) {
            if (!Files.isRegularFile(dir.resolve(required))) {
                throw new IllegalArgumentException("model directory " + dir + " has no " + required);
            }
        }
        if (!Files.isRegularFile(dir.resolve(WEIGHTS))) {
            String hint = Files.exists(dir.resolve("pytorch_model.bin")) ? " (pytorch_model.bin found: convert it to safetensors)" : "";
            throw new IllegalArgumentException("model directory " + dir + " has no " + WEIGHTS + hint);
        }
        BertConfig config = BertConfig.read(dir.resolve(CONFIG));
        return new Contents(config, readPooling(dir), readMaxLength(dir, config), dir.resolve(TOKENIZER), SafeTensors.read(dir.resolve(WEIGHTS)));
    }

    private static Pooling readPooling(Path dir) throws IOException {
        Path modules = dir.resolve("modules.json");
        if (!Files.exists(modules)) {
            return Pooling.MEAN;
        }
        for (JsonNode module : JSON.readTree(modules.toFile())) {
            if (module.path("type").asText().endsWith("models.Pooling")) {
                Path config = dir.resolve(module.path("path").asText()).resolve("config.json");
                JsonNode pooling = JSON.readTree(config.toFile());
                if (pooling.path("pooling_mode_mean_tokens").asBoolean(false)) {
                    return Pooling.MEAN;
                }
                if (pooling.path("pooling_mode_cls_token").asBoolean(false)) {
                    return Pooling.CLS;
                }
                throw new IllegalArgumentException(config + " asks for a pooling mode other than mean or CLS; not supported");
            }
        }
        return Pooling.MEAN;
    }

    private static int readMaxLength(Path dir, BertConfig config) throws IOException {
        Path st = dir.resolve("sentence_bert_config.json");
        int max = 128;
        if (Files.exists(st)) {
            max = JSON.readTree(st.toFile()).path("max_seq_length").asInt(max);
        }
        return Math.min(max, config.maxPositions());
    }

    /**
     * Writes a complete model directory. The weights must be exactly the parameters of
     * {@code BertModel} for {@code config}, which is checked first.
     */
    public static void write(Path dir, Contents contents) throws IOException {
        Map<String, long[]> expected = BertParameters.expected(contents.config());
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            Tensor t = contents.weights().get(e.getKey());
            if (t == null || !Arrays.equals(t.shape(), e.getValue())) {
                throw new IllegalArgumentException("cannot save: tensor " + e.getKey() + " is " + (t == null ? "missing" : "of shape " + t.shapeText()));
            }
            ordered.put(e.getKey(), t);
        }
        Files.createDirectories(dir);
        contents.config().write(dir.resolve(CONFIG));
        SafeTensors.write(dir.resolve(WEIGHTS), ordered, Map.of("format", "pt"));
        if (!contents.tokenizerJson().toAbsolutePath().equals(dir.resolve(TOKENIZER).toAbsolutePath())) {
            Files.copy(contents.tokenizerJson(), dir.resolve(TOKENIZER), StandardCopyOption.REPLACE_EXISTING);
        }
        writeSentenceTransformersFiles(dir, contents);
    }

    private static void writeSentenceTransformersFiles(Path dir, Contents contents) throws IOException {
        ArrayNode modules = JSON.createArrayNode();
        modules.addObject().put("idx", 0).put("name", "0").put("path", "").put("type", "sentence_transformers.models.Transformer");
        modules.addObject().put("idx", 1).put("name", "1").put("path", "1_Pooling").put("type", "sentence_transformers.models.Pooling");
        modules.addObject().put("idx", 2).put("name", "2").put("path", "2_Normalize").put("type", "sentence_transformers.models.Normalize");
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("modules.json").toFile(), modules);

        Files.createDirectories(dir.resolve("1_Pooling"));
        ObjectNode pooling = JSON.createObjectNode();
        pooling.put("word_embedding_dimension", contents.config().hiddenSize());
        pooling.put("pooling_mode_cls_token", contents.pooling() == Pooling.CLS);
        pooling.put("pooling_mode_mean_tokens", contents.pooling() == Pooling.MEAN);
        pooling.put("pooling_mode_max_tokens", false);
        pooling.put("pooling_mode_mean_sqrt_len_tokens", false);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("1_Pooling/config.json").toFile(), pooling);
        Files.createDirectories(dir.resolve("2_Normalize"));

        ObjectNode st = JSON.createObjectNode();
        st.put("max_seq_length", contents.maxLength());
        st.put("do_lower_case", false);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("sentence_bert_config.json").toFile(), st);

        ObjectNode tokenizerConfig = JSON.createObjectNode();
        tokenizerConfig.put("tokenizer_class", "BertTokenizer");
        tokenizerConfig.put("model_max_length", contents.maxLength());
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("tokenizer_config.json").toFile(), tokenizerConfig);
    }
}
