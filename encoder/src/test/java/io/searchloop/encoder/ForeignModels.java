package io.searchloop.encoder;

import io.searchloop.encoder.model.BertConfig;
import io.searchloop.encoder.weights.SafeTensors;
import io.searchloop.encoder.weights.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Tiny randomly initialised models written the way Hugging Face and sentence-transformers write
 * them (not by this project's exporter): their own {@code tokenizer.json} with Cyrillic pieces,
 * {@code tokenizer_config.json}, {@code special_tokens_map.json}, {@code modules.json} and pooling
 * config, formatted as Python does, so that an exporter that regenerates any of them is caught byte
 * for byte.
 */
public final class ForeignModels {
    static final String LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя";
    static final List<String> WORDS =
            List.of(
                    "труба",
                    "для",
                    "отвода",
                    "дыма",
                    "дымоход",
                    "дымо",
                    "ход",
                    "стальная",
                    "дрель",
                    "краска",
                    "шуруповерт",
                    "аккумуляторная",
                    "дерева",
                    "кабель",
                    "медный");

    /** A model layout: architecture, tokenizer, pooling and sequence length. */
    public enum Kind {
        /** BERT with a WordPiece vocabulary of Cyrillic words and letters, mean pooling. */
        WORDPIECE("bert", false, "pooling_mode_mean_tokens", 128, false, ""),
        /**
         * BERT with an XLM-R style Unigram tokenizer (Metaspace, {@code <s>}…{@code </s>}, padding
         * id 1), mean pooling.
         */
        UNIGRAM("bert", true, "pooling_mode_mean_tokens", 128, false, "bert."),
        /**
         * XLM-RoBERTa (positions after the padding id) with the Unigram tokenizer, CLS pooling,
         * weights under {@code roberta.}.
         */
        XLM_ROBERTA_CLS("xlm-roberta", true, "pooling_mode_cls_token", 64, false, "roberta."),
        /**
         * BERT with WordPiece, max pooling, {@code max_seq_length} 256 and {@code do_lower_case}.
         */
        LONG_LOWERCASE_MAX("bert", false, "pooling_mode_max_tokens", 256, true, "");

        final String modelType;
        final boolean unigram;
        final String poolingMode;
        final int maxSeqLength;
        final boolean lowerCase;
        final String prefix;

        Kind(
                String modelType,
                boolean unigram,
                String poolingMode,
                int maxSeqLength,
                boolean lowerCase,
                String prefix) {
            this.modelType = modelType;
            this.unigram = unigram;
            this.poolingMode = poolingMode;
            this.maxSeqLength = maxSeqLength;
            this.lowerCase = lowerCase;
            this.prefix = prefix;
        }

        public int maxSeqLength() {
            return maxSeqLength;
        }

        public boolean lowerCase() {
            return lowerCase;
        }

        public BertConfig config() {
            int vocab = unigram ? unigramVocabulary().size() : wordPieceVocabulary().size();
            int pad = unigram ? 1 : 0;
            int positions = maxSeqLength + (modelType.equals("bert") ? 0 : pad + 1);
            return new BertConfig(
                    modelType,
                    vocab,
                    32,
                    2,
                    4,
                    64,
                    positions,
                    modelType.equals("bert") ? 2 : 1,
                    1e-5,
                    "gelu",
                    pad);
        }
    }

    private ForeignModels() {}

    /** Writes a model of {@code kind} with weights drawn from {@code seed} into {@code dir}. */
    public static Path write(Path dir, Kind kind, long seed) throws IOException {
        BertConfig config = kind.config();
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("config.json"), configJson(config));
        Map<String, Tensor> weights = new LinkedHashMap<>();
        TinyModels.randomWeights(config, seed)
                .forEach(
                        (name, t) -> {
                            if (!name.startsWith("pooler.")
                                    || kind.prefix
                                            .isEmpty()) { // a prefixed checkpoint comes without a
                                // pooler
                                weights.put(kind.prefix + name, t);
                            }
                        });
        SafeTensors.write(dir.resolve("model.safetensors"), weights, Map.of("format", "pt"));
        Files.writeString(
                dir.resolve("tokenizer.json"),
                kind.unigram ? unigramTokenizer() : wordPieceTokenizer());
        Files.writeString(
                dir.resolve("tokenizer_config.json"),
                kind.unigram
                        ? """
                          {
                            "bos_token": "<s>",
                            "eos_token": "</s>",
                            "pad_token": "<pad>",
                            "unk_token": "<unk>",
                            "model_max_length": 512,
                            "tokenizer_class": "XLMRobertaTokenizer"
                          }
                          """
                        : "{\n  \"do_lower_case\": "
                                + kind.lowerCase
                                + ",\n  \"model_max_length\": 512,\n  \"tokenizer_class\": \"BertTokenizer\"\n}\n");
        Files.writeString(
                dir.resolve("special_tokens_map.json"),
                kind.unigram
                        ? "{\n  \"bos_token\": \"<s>\",\n  \"eos_token\": \"</s>\",\n  \"pad_token\": \"<pad>\",\n  \"unk_token\": \"<unk>\"\n}\n"
                        : "{\n  \"cls_token\": \"[CLS]\",\n  \"pad_token\": \"[PAD]\",\n  \"sep_token\": \"[SEP]\",\n  \"unk_token\": \"[UNK]\"\n}\n");
        if (!kind.unigram) {
            Files.writeString(
                    dir.resolve("vocab.txt"), String.join("\n", wordPieceVocabulary()) + "\n");
        }
        Files.writeString(
                dir.resolve("modules.json"),
                """
                [
                  {
                    "idx": 0,
                    "name": "0",
                    "path": "",
                    "type": "sentence_transformers.models.Transformer"
                  },
                  {
                    "idx": 1,
                    "name": "1",
                    "path": "1_Pooling",
                    "type": "sentence_transformers.models.Pooling"
                  }
                ]""");
        StringBuilder pooling =
                new StringBuilder("{\n    \"word_embedding_dimension\": " + config.hiddenSize());
        for (String mode :
                List.of(
                        "pooling_mode_cls_token",
                        "pooling_mode_mean_tokens",
                        "pooling_mode_max_tokens",
                        "pooling_mode_mean_sqrt_len_tokens",
                        "pooling_mode_weightedmean_tokens",
                        "pooling_mode_lasttoken")) {
            pooling.append(",\n    \"")
                    .append(mode)
                    .append("\": ")
                    .append(mode.equals(kind.poolingMode));
        }
        Files.writeString(
                dir.resolve("1_Pooling/config.json"),
                pooling.append(",\n    \"include_prompt\": true\n}").toString());
        Files.writeString(
                dir.resolve("sentence_bert_config.json"),
                "{\n  \"max_seq_length\": "
                        + kind.maxSeqLength
                        + ",\n  \"do_lower_case\": "
                        + kind.lowerCase
                        + "\n}");
        return dir;
    }

    static String configJson(BertConfig c) {
        String architecture = c.modelType().equals("bert") ? "BertModel" : "XLMRobertaModel";
        return "{\n  \"_name_or_path\": \"tiny-"
                + c.modelType()
                + "\",\n  \"architectures\": [\n    \""
                + architecture
                + "\"\n  ],\n"
                + "  \"attention_probs_dropout_prob\": 0.1,\n  \"bos_token_id\": 0,\n  \"eos_token_id\": 2,\n  \"hidden_act\": \""
                + c.hiddenAct()
                + "\",\n"
                + "  \"hidden_dropout_prob\": 0.1,\n  \"hidden_size\": "
                + c.hiddenSize()
                + ",\n  \"initializer_range\": 0.02,\n"
                + "  \"intermediate_size\": "
                + c.intermediateSize()
                + ",\n  \"layer_norm_eps\": "
                + c.layerNormEps()
                + ",\n"
                + "  \"max_position_embeddings\": "
                + c.maxPositions()
                + ",\n  \"model_type\": \""
                + c.modelType()
                + "\",\n"
                + "  \"num_attention_heads\": "
                + c.numHeads()
                + ",\n  \"num_hidden_layers\": "
                + c.numLayers()
                + ",\n"
                + "  \"pad_token_id\": "
                + c.padTokenId()
                + ",\n  \"position_embedding_type\": \"absolute\",\n  \"torch_dtype\": \"float32\",\n"
                + "  \"transformers_version\": \"4.44.2\",\n  \"type_vocab_size\": "
                + c.typeVocabSize()
                + ",\n  \"use_cache\": true,\n"
                + "  \"vocab_size\": "
                + c.vocabSize()
                + "\n}\n";
    }

    static List<String> wordPieceVocabulary() {
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        vocab.addAll(WORDS);
        for (int i = 0; i < LETTERS.length(); i++) {
            char c = LETTERS.charAt(i);
            vocab.add(String.valueOf(c));
            vocab.add("##" + c);
        }
        for (char c : "0123456789".toCharArray()) {
            vocab.add(String.valueOf(c));
        }
        return vocab;
    }

    static String wordPieceTokenizer() {
        List<String> vocab = wordPieceVocabulary();
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < vocab.size(); i++) {
            entries.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(vocab.get(i))
                    .append("\":")
                    .append(i);
        }
        return "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":["
                + specials(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"))
                + "],\"normalizer\":{\"type\":\"BertNormalizer\",\"clean_text\":true,\"handle_chinese_chars\":true,\"strip_accents\":false,"
                + "\"lowercase\":false},\"pre_tokenizer\":{\"type\":\"BertPreTokenizer\"},"
                + template("[CLS]", 2, "[SEP]", 3)
                + ",\"decoder\":{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true},"
                + "\"model\":{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\",\"continuing_subword_prefix\":\"##\",\"max_input_chars_per_word\":100,"
                + "\"vocab\":{"
                + entries
                + "}}}";
    }

    /**
     * XLM-R's layout: {@code <s>} 0, {@code <pad>} 1, {@code </s>} 2, {@code <unk>} 3, then scored
     * pieces.
     */
    static List<String> unigramVocabulary() {
        List<String> vocab = new ArrayList<>(List.of("<s>", "<pad>", "</s>", "<unk>", "▁"));
        for (String w : WORDS) {
            vocab.add("▁" + w);
        }
        vocab.addAll(List.of("▁дым", "оход", "▁ст", "альная", "ная"));
        for (char c : (LETTERS + "0123456789").toCharArray()) {
            vocab.add(String.valueOf(c));
            vocab.add("▁" + c);
        }
        return vocab;
    }

    static String unigramTokenizer() {
        List<String> vocab = unigramVocabulary();
        String pieces =
                vocab.stream()
                        .map(
                                p ->
                                        "[\""
                                                + p
                                                + "\","
                                                + (p.startsWith("<")
                                                        ? "0.0"
                                                        : String.valueOf(-12.0 + p.length()))
                                                + "]")
                        .collect(Collectors.joining(","));
        return "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":["
                + specials(List.of("<s>", "<pad>", "</s>", "<unk>"))
                + "],\"normalizer\":{\"type\":\"NFKC\"},"
                + "\"pre_tokenizer\":{\"type\":\"Metaspace\",\"replacement\":\"▁\",\"prepend_scheme\":\"always\",\"split\":true},"
                + template("<s>", 0, "</s>", 2)
                + ",\"decoder\":{\"type\":\"Metaspace\",\"replacement\":\"▁\",\"prepend_scheme\":\"always\",\"split\":true},"
                + "\"model\":{\"type\":\"Unigram\",\"unk_id\":3,\"vocab\":["
                + pieces
                + "],\"byte_fallback\":false}}";
    }

    private static String specials(List<String> tokens) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            out.add(
                    "{\"id\":"
                            + i
                            + ",\"content\":\""
                            + tokens.get(i)
                            + "\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true}");
        }
        return String.join(",", out);
    }

    private static String template(String begin, int beginId, String end, int endId) {
        String b = "{\"SpecialToken\":{\"id\":\"" + begin + "\",\"type_id\":0}}";
        String e = "{\"SpecialToken\":{\"id\":\"" + end + "\",\"type_id\":0}}";
        return "\"post_processor\":{\"type\":\"TemplateProcessing\","
                + "\"single\":["
                + b
                + ",{\"Sequence\":{\"id\":\"A\",\"type_id\":0}},"
                + e
                + "],"
                + "\"pair\":["
                + b
                + ",{\"Sequence\":{\"id\":\"A\",\"type_id\":0}},"
                + e
                + ",{\"Sequence\":{\"id\":\"B\",\"type_id\":0}},"
                + e
                + "],"
                + "\"special_tokens\":{\""
                + begin
                + "\":{\"id\":\""
                + begin
                + "\",\"ids\":["
                + beginId
                + "],\"tokens\":[\""
                + begin
                + "\"]},"
                + "\""
                + end
                + "\":{\"id\":\""
                + end
                + "\",\"ids\":["
                + endId
                + "],\"tokens\":[\""
                + end
                + "\"]}}}";
    }
}
