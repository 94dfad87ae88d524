package io.searchloop.app;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.searchloop.encoder.EncoderOptions;
import io.searchloop.encoder.SentenceEncoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Encodes a text file, one text per line, into JSON lines of {"text", "embedding"}. */
@Command(
        name = "encode",
        mixinStandardHelpOptions = true,
        description =
                "Encode each line of a UTF-8 text file with a sentence encoder; write one JSON line per input line: "
                        + "{\"text\": ..., \"embedding\": [...]}.")
final class EncodeCommand implements Callable<Integer> {
    private static final int CHUNK = 1024;

    @Option(
            names = "--model",
            defaultValue = "base",
            description =
                    "'base' (bundled all-MiniLM-L6-v2), an imported base's name, or a Hugging Face model directory. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--input", required = true, description = "Text file, one text per line.")
    Path input;

    @Option(names = "--output", required = true, description = "JSON-lines file to write.")
    Path output;

    @Option(
            names = "--batch-size",
            defaultValue = "32",
            description = "Texts per forward pass. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(
            names = "--threads",
            defaultValue = "0",
            description = "PyTorch intra-op threads; 0 = engine default.")
    int threads;

    @Option(
            names = "--device",
            defaultValue = "auto",
            description = "auto, cpu or gpu. Default: ${DEFAULT-VALUE}.")
    String device;

    @Override
    public Integer call() throws IOException {
        EncoderOptions options =
                EncoderOptions.defaults()
                        .withDevice(
                                EncoderOptions.DeviceChoice.valueOf(
                                        device.toUpperCase(java.util.Locale.ROOT)))
                        .withThreads(threads)
                        .withBatchSize(batchSize);
        int written = 0;
        try (SentenceEncoder encoder = SentenceEncoder.load(ModelChoice.directory(model), options);
                BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8);
                OutputStream out = Files.newOutputStream(output);
                JsonGenerator json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            json.setRootValueSeparator(null);
            List<String> chunk = new ArrayList<>(CHUNK);
            String line;
            while ((line = reader.readLine()) != null) {
                chunk.add(line);
                if (chunk.size() == CHUNK) {
                    written += write(encoder, chunk, json);
                }
            }
            written += write(encoder, chunk, json);
        }
        System.err.println("encoded " + written + " lines into " + output);
        return 0;
    }

    private static int write(SentenceEncoder encoder, List<String> texts, JsonGenerator json)
            throws IOException {
        float[][] vectors = encoder.encode(texts);
        for (int i = 0; i < texts.size(); i++) {
            json.writeStartObject();
            json.writeStringField("text", texts.get(i));
            json.writeArrayFieldStart("embedding");
            for (float v : vectors[i]) {
                json.writeNumber(v);
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeRaw('\n');
        }
        int n = texts.size();
        texts.clear();
        return n;
    }
}
