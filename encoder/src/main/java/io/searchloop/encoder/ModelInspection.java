package io.searchloop.encoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.searchloop.encoder.model.BertConfig;
import io.searchloop.encoder.model.Pooling;
import io.searchloop.encoder.tokenize.TextTokenizer;
import io.searchloop.encoder.weights.ModelDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * What a model directory is and what it does to text, without loading its weights: architecture,
 * size, tokenizer, pooling, and how sample texts are cut into tokens — so a shop sees, before
 * training, whether its language is split into single characters.
 */
public record ModelInspection(
        Path directory,
        BertConfig config,
        String tokenizerKind,
        int vocabularySize,
        int cyrillicPieces,
        int maxLength,
        Pooling pooling,
        boolean lowerCase,
        ModelDirectory.Lineage base,
        int specialTokens,
        List<Sample> samples) {

    /** Russian catalog queries with a domain term, a compound split by a typo, and ё. */
    public static final List<String> RUSSIAN_SAMPLES =
            List.of(
                    "труба для отвода дыма",
                    "дымоход нержавеющий 115 мм",
                    "дымо ход",
                    "шуруповёрт аккумуляторный",
                    "краска для дерева белая");

    /** A text, its tokens (special tokens included) and its words (split on whitespace). */
    public record Sample(String text, List<String> tokens, int words) {
        /**
         * Tokens per word, the {@code special} tokens every text gets left out: about 1 is words,
         * 5+ is letters.
         */
        public double tokensPerWord(int special) {
            return words == 0 ? 0 : (tokens.size() - special) / (double) words;
        }
    }

    public static ModelInspection of(Path dir, List<String> texts) throws IOException {
        ModelDirectory.Layout layout = ModelDirectory.inspect(dir);
        JsonNode tokenizer = new ObjectMapper().readTree(layout.tokenizerJson().toFile());
        JsonNode vocab = tokenizer.path("model").path("vocab");
        int size = 0;
        int cyrillic = 0;
        for (Iterator<?> it = vocab.isArray() ? vocab.elements() : vocab.fieldNames();
                it.hasNext();
                size++) {
            Object entry = it.next();
            String piece = entry instanceof JsonNode node ? node.path(0).asText() : (String) entry;
            if (piece.codePoints()
                    .anyMatch(
                            c ->
                                    Character.UnicodeScript.of(c)
                                            == Character.UnicodeScript.CYRILLIC)) {
                cyrillic++;
            }
        }
        List<Sample> samples = new ArrayList<>();
        int special;
        try (TextTokenizer t =
                TextTokenizer.load(
                        layout.tokenizerJson(), layout.maxLength(), layout.lowerCase())) {
            special = t.tokens("").size();
            for (String text : texts) {
                samples.add(
                        new Sample(
                                text,
                                t.tokens(text),
                                text.isBlank() ? 0 : text.trim().split("\\s+").length));
            }
        }
        return new ModelInspection(
                dir,
                layout.config(),
                tokenizer.path("model").path("type").asText(),
                size,
                cyrillic,
                layout.maxLength(),
                layout.pooling(),
                layout.lowerCase(),
                layout.base(),
                special,
                samples);
    }
}
