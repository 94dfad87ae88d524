package io.searchloop.encoder.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hugging Face tokenization from a {@code tokenizer.json} of any kind (WordPiece, Unigram, BPE;
 * DJL's binding of the Rust tokenizers, with the file's own normalizer, pre-tokenizer and
 * special-token template): special tokens added, truncated to {@code maxLength}, never padded here
 * — padding is per batch ({@link TokenBatch}), so short texts are not padded to long ones. With
 * {@code lowerCase} the text is lower-cased first, as sentence-transformers does for {@code
 * do_lower_case: true}. Thread-safe.
 */
public final class TextTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;
    private final boolean lowerCase;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, int maxLength, boolean lowerCase) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.lowerCase = lowerCase;
    }

    public static TextTokenizer load(Path tokenizerJson, int maxLength) throws IOException {
        return load(tokenizerJson, maxLength, false);
    }

    public static TextTokenizer load(Path tokenizerJson, int maxLength, boolean lowerCase)
            throws IOException {
        HuggingFaceTokenizer tokenizer =
                HuggingFaceTokenizer.builder()
                        .optTokenizerPath(tokenizerJson)
                        .optAddSpecialTokens(true)
                        .optTruncation(true)
                        .optMaxLength(maxLength)
                        .optPadding(false)
                        .build();
        return new TextTokenizer(tokenizer, maxLength, lowerCase);
    }

    /**
     * Token ids of each text, with the tokenizer's special tokens, at most {@code maxLength} long.
     */
    public List<long[]> ids(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        Encoding[] encodings = tokenizer.batchEncode(prepared(texts));
        List<long[]> out = new ArrayList<>(encodings.length);
        for (Encoding e : encodings) {
            out.add(e.getIds());
        }
        return out;
    }

    /** The token strings of one text, special tokens included (to show what a model sees). */
    public List<String> tokens(String text) {
        return List.of(tokenizer.encode(prepared(List.of(text)).get(0)).getTokens());
    }

    private List<String> prepared(List<String> texts) {
        return lowerCase ? texts.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList() : texts;
    }

    public int maxLength() {
        return maxLength;
    }

    public boolean lowerCase() {
        return lowerCase;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
