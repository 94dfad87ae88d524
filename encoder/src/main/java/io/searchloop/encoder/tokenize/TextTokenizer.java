package io.searchloop.encoder.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Hugging Face tokenization from a {@code tokenizer.json} (DJL's binding of the Rust tokenizers):
 * special tokens added, truncated to {@code maxLength}, never padded here — padding is per batch
 * ({@link TokenBatch}), so short texts are not padded to long ones. Thread-safe.
 */
public final class TextTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, int maxLength) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
    }

    public static TextTokenizer load(Path tokenizerJson, int maxLength) throws IOException {
        HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                .optTokenizerPath(tokenizerJson)
                .optAddSpecialTokens(true)
                .optTruncation(true)
                .optMaxLength(maxLength)
                .optPadding(false)
                .build();
        return new TextTokenizer(tokenizer, maxLength);
    }

    /** Token ids of each text, [CLS] … [SEP], at most {@code maxLength} long. */
    public List<long[]> ids(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        Encoding[] encodings = tokenizer.batchEncode(texts);
        List<long[]> out = new ArrayList<>(encodings.length);
        for (Encoding e : encodings) {
            out.add(e.getIds());
        }
        return out;
    }

    public int maxLength() {
        return maxLength;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
