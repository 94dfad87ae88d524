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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A sentence-encoder model directory in the Hugging Face / sentence-transformers layout: {@code
 * config.json}, {@code model.safetensors}, {@code tokenizer.json} (plus whatever tokenizer files
 * the model came with), and the sentence-transformers files {@code modules.json}, the pooling
 * module's {@code config.json}, {@code 2_Normalize/}, {@code sentence_bert_config.json}, {@code
 * config_sentence_transformers.json}.
 *
 * <p>{@link #inspect} checks everything that decides whether the directory can be computed
 * faithfully — architecture, sentence-transformers modules, pooling, tokenizer kind and vocabulary,
 * tensor names and shapes — before a single weight is read, and refuses by name what cannot. {@link
 * #write} of a model that was read keeps the source's config, tokenizer and sentence-transformers
 * files byte for byte and replaces only the weights, so a fine-tuned model reloads in Python
 * exactly as its base did; files the source lacked are generated. The base model's name and
 * checksum travel in {@value #METADATA}.
 */
public final class ModelDirectory {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String TOKENIZER = "tokenizer.json";

    /** searchloop's own record of a model's lineage: the base it was fine-tuned from. */
    public static final String METADATA = "searchloop.json";

    /** Tokenizer files of the Hugging Face layouts, kept as they were. */
    static final List<String> TOKENIZER_FILES =
            List.of(
                    TOKENIZER,
                    "tokenizer_config.json",
                    "special_tokens_map.json",
                    "added_tokens.json",
                    "vocab.txt",
                    "vocab.json",
                    "merges.txt",
                    "sentencepiece.bpe.model",
                    "spiece.model",
                    "sentencepiece.model",
                    "tokenizer.model");

    static final List<String> SENTENCE_TRANSFORMERS_FILES =
            List.of(
                    "modules.json",
                    "sentence_bert_config.json",
                    "config_sentence_transformers.json");

    /** The tokenizer.json model types the Rust tokenizers (and so DJL) run. */
    static final Set<String> TOKENIZER_KINDS = Set.of("WordPiece", "Unigram", "BPE", "WordLevel");

    private static final String MODULES = "sentence_transformers.models.";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The model a directory was fine-tuned from, by name and {@link ModelChecksum}. */
    public record Lineage(String name, String sha256) {}

    /**
     * Everything about a model but its weights. {@code source} is the directory it was read from
     * (null when assembled from parts), {@code base} the lineage it carries (null: none recorded,
     * so {@code source} itself is the base).
     */
    public record Layout(
            BertConfig config,
            Pooling pooling,
            int maxLength,
            boolean lowerCase,
            Path tokenizerJson,
            Path source,
            Lineage base) {}

    /** Everything needed to build an encoder. */
    public record Contents(Layout layout, Map<String, Tensor> weights) {
        /** A model assembled from parts, with no source directory to keep files of. */
        public Contents(
                BertConfig config,
                Pooling pooling,
                int maxLength,
                Path tokenizerJson,
                Map<String, Tensor> weights) {
            this(new Layout(config, pooling, maxLength, false, tokenizerJson, null, null), weights);
        }

        public BertConfig config() {
            return layout.config();
        }

        public Pooling pooling() {
            return layout.pooling();
        }

        public int maxLength() {
            return layout.maxLength();
        }

        public Path tokenizerJson() {
            return layout.tokenizerJson();
        }
    }

    private ModelDirectory() {}

    /**
     * Checks that {@code dir} is a model this code computes faithfully, reading every file except
     * the weight values; throws {@link IllegalArgumentException} naming each reason it is not.
     */
    public static Layout inspect(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("model directory " + dir + " does not exist");
        }
        for (String required : new String[] {CONFIG, TOKENIZER}) {
            if (!Files.isRegularFile(dir.resolve(required))) {
                throw new IllegalArgumentException(
                        "model directory " + dir + " has no " + required);
            }
        }
        if (!Files.isRegularFile(dir.resolve(WEIGHTS))) {
            String hint =
                    Files.exists(dir.resolve("pytorch_model.bin"))
                            ? " (pytorch_model.bin found: convert it to safetensors)"
                            : "";
            throw new IllegalArgumentException(
                    "model directory " + dir + " has no " + WEIGHTS + hint);
        }
        BertConfig config = BertConfig.read(dir.resolve(CONFIG));
        Pooling pooling = readPooling(dir);
        checkTokenizer(dir.resolve(TOKENIZER), config);
        List<String> mismatches =
                BertParameters.mismatches(config, SafeTensors.header(dir.resolve(WEIGHTS)));
        if (!mismatches.isEmpty()) {
            throw new IllegalArgumentException(
                    dir.resolve(WEIGHTS)
                            + ": weights do not match the BERT config: "
                            + BertParameters.describe(mismatches));
        }
        JsonNode st = readJson(dir.resolve("sentence_bert_config.json"));
        int maxLength = Math.min(st.path("max_seq_length").asInt(128), config.maxTokens());
        return new Layout(
                config,
                pooling,
                maxLength,
                st.path("do_lower_case").asBoolean(false),
                dir.resolve(TOKENIZER),
                dir,
                readLineage(dir));
    }

    /** {@link #inspect}, then the weights. */
    public static Contents read(Path dir) throws IOException {
        Layout layout = inspect(dir);
        return new Contents(layout, SafeTensors.read(dir.resolve(WEIGHTS)));
    }

    /** The kind of a {@code tokenizer.json}'s model: WordPiece, Unigram, BPE or WordLevel. */
    public static String tokenizerKind(Path tokenizerJson) throws IOException {
        return JSON.readTree(tokenizerJson.toFile()).path("model").path("type").asText("");
    }

    private static void checkTokenizer(Path tokenizerJson, BertConfig config) throws IOException {
        JsonNode json = JSON.readTree(tokenizerJson.toFile());
        String kind = json.path("model").path("type").asText("");
        if (!TOKENIZER_KINDS.contains(kind)) {
            throw new IllegalArgumentException(
                    tokenizerJson
                            + ": tokenizer model type '"
                            + kind
                            + "' is not one of "
                            + TOKENIZER_KINDS);
        }
        long largest = -1;
        JsonNode vocab = json.path("model").path("vocab");
        if (vocab.isArray()) { // Unigram: [piece, score] in id order
            largest = vocab.size() - 1L;
        } else {
            for (JsonNode id : vocab) {
                largest = Math.max(largest, id.asLong());
            }
        }
        for (JsonNode added : json.path("added_tokens")) {
            largest = Math.max(largest, added.path("id").asLong());
        }
        if (largest >= config.vocabSize()) {
            throw new IllegalArgumentException(
                    tokenizerJson
                            + ": the tokenizer has token id "
                            + largest
                            + " but the model's vocab_size is "
                            + config.vocabSize()
                            + " (tokenizer and weights of different models?)");
        }
    }

    private static Pooling readPooling(Path dir) throws IOException {
        Path modules = dir.resolve("modules.json");
        if (!Files.exists(modules)) {
            return Pooling.MEAN; // sentence-transformers' choice for a plain Hugging Face model
        }
        Pooling pooling = Pooling.MEAN;
        for (JsonNode module : JSON.readTree(modules.toFile())) {
            String type = module.path("type").asText();
            String path = module.path("path").asText("");
            switch (type.startsWith(MODULES) ? type.substring(MODULES.length()) : type) {
                case "Transformer" -> {
                    if (!path.isEmpty()) {
                        throw new IllegalArgumentException(
                                modules
                                        + ": the Transformer module lives in '"
                                        + path
                                        + "/'; only the flat layout (path \"\") is read");
                    }
                }
                case "Pooling" -> pooling = poolingOf(dir.resolve(path).resolve(CONFIG));
                case "Normalize" -> {} // encode always normalises; cosine similarity does not
                // change
                default ->
                        throw new IllegalArgumentException(
                                modules
                                        + ": module "
                                        + type
                                        + " ('"
                                        + path
                                        + "') is not computed here, the embeddings would differ; only Transformer, Pooling and Normalize are");
            }
        }
        return pooling;
    }

    private static Pooling poolingOf(Path config) throws IOException {
        JsonNode json = JSON.readTree(config.toFile());
        List<String> modes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : json.properties()) {
            if (field.getKey().startsWith("pooling_mode_") && field.getValue().asBoolean(false)) {
                modes.add(field.getKey());
            }
        }
        List<Pooling> supported =
                Arrays.stream(Pooling.values()).filter(p -> modes.contains(p.configKey())).toList();
        if (modes.size() != 1 || supported.size() != 1) {
            throw new IllegalArgumentException(
                    config
                            + ": pooling "
                            + modes
                            + " is not supported; exactly one of "
                            + Arrays.stream(Pooling.values()).map(Pooling::configKey).toList()
                            + " must be true");
        }
        return supported.get(0);
    }

    private static Lineage readLineage(Path dir) throws IOException {
        JsonNode base = readJson(dir.resolve(METADATA)).path("base_model");
        return base.hasNonNull("sha256")
                ? new Lineage(base.path("name").asText(), base.path("sha256").asText())
                : null;
    }

    private static JsonNode readJson(Path file) throws IOException {
        return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : JSON.createObjectNode();
    }

    /**
     * Writes a complete model directory. The weights must be exactly the parameters of {@code
     * BertModel} for the config, which is checked first. The source's config, tokenizer and
     * sentence-transformers files are copied unchanged; the others are generated.
     */
    public static void write(Path dir, Contents contents) throws IOException {
        Layout layout = contents.layout();
        Map<String, long[]> expected = BertParameters.expected(layout.config());
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            Tensor t = contents.weights().get(e.getKey());
            if (t == null || !Arrays.equals(t.shape(), e.getValue())) {
                throw new IllegalArgumentException(
                        "cannot save: tensor "
                                + e.getKey()
                                + " is "
                                + (t == null ? "missing" : "of shape " + t.shapeText()));
            }
            ordered.put(e.getKey(), t);
        }
        Lineage lineage =
                layout.base() != null
                        ? layout.base()
                        : layout.source() != null
                                ? new Lineage(
                                        layout.source().getFileName().toString(),
                                        ModelChecksum.sha256(layout.source()))
                                : null;
        Files.createDirectories(dir);
        SafeTensors.write(dir.resolve(WEIGHTS), ordered, Map.of("format", "pt"));
        Set<String> kept = layout.source() == null ? Set.of() : copyKeptFiles(layout.source(), dir);
        if (!kept.contains(CONFIG)) {
            layout.config().write(dir.resolve(CONFIG));
        }
        if (!kept.contains(TOKENIZER)
                && !layout.tokenizerJson()
                        .toAbsolutePath()
                        .equals(dir.resolve(TOKENIZER).toAbsolutePath())) {
            Files.copy(
                    layout.tokenizerJson(),
                    dir.resolve(TOKENIZER),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        writeMissingSentenceTransformersFiles(dir, layout, kept);
        if (lineage != null) {
            ObjectNode metadata = JSON.createObjectNode();
            metadata.putObject("base_model")
                    .put("name", lineage.name())
                    .put("sha256", lineage.sha256());
            JSON.writerWithDefaultPrettyPrinter()
                    .writeValue(dir.resolve(METADATA).toFile(), metadata);
        }
    }

    /**
     * Copies the files that describe how to run the model (config, tokenizer, sentence-transformers
     * modules and their configs) from {@code source} to {@code dir}, byte for byte; returns the
     * relative paths copied. Nothing is copied onto itself.
     */
    public static Set<String> copyKeptFiles(Path source, Path dir) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        names.add(CONFIG);
        names.addAll(TOKENIZER_FILES);
        names.addAll(SENTENCE_TRANSFORMERS_FILES);
        Path modules = source.resolve("modules.json");
        if (Files.isRegularFile(modules)) {
            for (JsonNode module : JSON.readTree(modules.toFile())) {
                String path = module.path("path").asText("");
                if (!path.isEmpty() && Files.isDirectory(source.resolve(path))) {
                    Files.createDirectories(dir.resolve(path));
                    try (Stream<Path> files = Files.list(source.resolve(path))) {
                        files.filter(Files::isRegularFile)
                                .forEach(f -> names.add(path + "/" + f.getFileName()));
                    }
                }
            }
        }
        Set<String> copied = new LinkedHashSet<>();
        boolean sameDirectory =
                source.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize());
        for (String name : names) {
            Path from = source.resolve(name);
            if (Files.isRegularFile(from)) {
                if (!sameDirectory) {
                    Files.copy(from, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
                copied.add(name);
            }
        }
        return copied;
    }

    private static void writeMissingSentenceTransformersFiles(
            Path dir, Layout layout, Set<String> kept) throws IOException {
        if (!kept.contains("modules.json")) {
            ArrayNode modules = JSON.createArrayNode();
            modules.addObject()
                    .put("idx", 0)
                    .put("name", "0")
                    .put("path", "")
                    .put("type", MODULES + "Transformer");
            modules.addObject()
                    .put("idx", 1)
                    .put("name", "1")
                    .put("path", "1_Pooling")
                    .put("type", MODULES + "Pooling");
            modules.addObject()
                    .put("idx", 2)
                    .put("name", "2")
                    .put("path", "2_Normalize")
                    .put("type", MODULES + "Normalize");
            write(dir.resolve("modules.json"), modules);

            Files.createDirectories(dir.resolve("1_Pooling"));
            ObjectNode pooling = JSON.createObjectNode();
            pooling.put("word_embedding_dimension", layout.config().hiddenSize());
            for (Pooling mode : Pooling.values()) {
                pooling.put(mode.configKey(), layout.pooling() == mode);
            }
            pooling.put("pooling_mode_mean_sqrt_len_tokens", false);
            write(dir.resolve("1_Pooling/config.json"), pooling);
            Files.createDirectories(dir.resolve("2_Normalize"));
        }
        if (!kept.contains("sentence_bert_config.json")) {
            write(
                    dir.resolve("sentence_bert_config.json"),
                    JSON.createObjectNode()
                            .put("max_seq_length", layout.maxLength())
                            .put("do_lower_case", layout.lowerCase()));
        }
        if (!kept.contains("config_sentence_transformers.json")) {
            // The keys sentence-transformers 3 writes; cosine is what the loop searches by.
            ObjectNode st = JSON.createObjectNode();
            st.putObject("__version__").put("sentence_transformers", "3.0.0");
            st.putObject("prompts");
            st.putNull("default_prompt_name");
            st.put("similarity_fn_name", "cosine");
            write(dir.resolve("config_sentence_transformers.json"), st);
        }
        if (!kept.contains("tokenizer_config.json")) {
            // Only a WordPiece tokenizer.json is a BertTokenizer; any other loads as the generic
            // fast tokenizer.
            boolean wordPiece = tokenizerKind(dir.resolve(TOKENIZER)).equals("WordPiece");
            ObjectNode tokenizerConfig = JSON.createObjectNode();
            tokenizerConfig.put(
                    "tokenizer_class", wordPiece ? "BertTokenizer" : "PreTrainedTokenizerFast");
            tokenizerConfig.put("model_max_length", layout.maxLength());
            write(dir.resolve("tokenizer_config.json"), tokenizerConfig);
        }
    }

    private static void write(Path file, JsonNode json) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json);
    }
}
