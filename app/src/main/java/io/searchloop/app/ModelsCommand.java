package io.searchloop.app;

import io.searchloop.encoder.BaseModel;
import io.searchloop.encoder.ModelInspection;
import io.searchloop.encoder.TrainingMemory;
import io.searchloop.encoder.model.BertConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Bring-your-own-model tools: see what a Hugging Face model directory is and does to text, and
 * import it as a named base.
 */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "Inspect and import Hugging Face BERT-family models.",
        subcommands = {ModelsCommand.Inspect.class, ModelsCommand.Import.class})
final class ModelsCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "inspect",
            mixinStandardHelpOptions = true,
            description =
                    "Print a model's architecture, parameters, dimension, tokenizer, max length, pooling, training memory per step, "
                            + "and how it tokenizes sample texts (Russian by default). Refuses, with the reason, what cannot be computed faithfully.")
    static final class Inspect implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(
                index = "0",
                description = "Model directory, an imported base's name, or 'base'.")
        String model;

        @Option(
                names = "--text",
                description =
                        "A sample text to tokenize (repeatable); default: a few Russian catalog queries.")
        List<String> texts;

        @Option(
                names = "--batch-size",
                defaultValue = "32",
                description =
                        "Batch size of the training-memory estimate. Default: ${DEFAULT-VALUE}.")
        int batchSize;

        @Override
        public Integer call() throws Exception {
            ModelInspection m =
                    ModelInspection.of(
                            BaseModel.resolve(model),
                            texts == null ? ModelInspection.RUSSIAN_SAMPLES : texts);
            PrintWriter out = spec.commandLine().getOut();
            BertConfig c = m.config();
            TrainingMemory memory =
                    TrainingMemory.estimate(
                            c, batchSize, TrainingMemory.QUERY_TOKENS, m.maxLength(), 0);
            row(out, "directory", m.directory().toString());
            row(
                    out,
                    "architecture",
                    String.format(
                            Locale.ROOT,
                            "%s: %d layers, %d heads, hidden %d, intermediate %d, %s, %d positions",
                            c.modelType(),
                            c.numLayers(),
                            c.numHeads(),
                            c.hiddenSize(),
                            c.intermediateSize(),
                            c.hiddenAct(),
                            c.maxPositions()));
            row(
                    out,
                    "parameters",
                    String.format(
                            Locale.ROOT,
                            "%,d (%.1f M)",
                            c.parameterCount(),
                            c.parameterCount() / 1e6));
            row(out, "dimension", String.valueOf(c.hiddenSize()));
            row(
                    out,
                    "tokenizer",
                    String.format(
                            Locale.ROOT,
                            "%s, %,d pieces, %,d with Cyrillic letters",
                            m.tokenizerKind(),
                            m.vocabularySize(),
                            m.cyrillicPieces()));
            row(
                    out,
                    "max length",
                    m.maxLength()
                            + " tokens"
                            + (m.lowerCase() ? ", lower-cased first (do_lower_case)" : ""));
            row(
                    out,
                    "pooling",
                    m.pooling().name().toLowerCase(Locale.ROOT) + ", then L2-normalised");
            row(
                    out,
                    "training memory",
                    String.format(
                            Locale.ROOT,
                            "%s per step at batch %d (%d-token queries, %d-token products): %s",
                            TrainingMemory.gib(memory.total()),
                            batchSize,
                            TrainingMemory.QUERY_TOKENS,
                            m.maxLength(),
                            memory.breakdown()));
            if (m.base() != null) {
                row(
                        out,
                        "fine-tuned from",
                        m.base().name() + " (sha256 " + m.base().sha256() + ")");
            }
            out.println();
            out.println("tokenization (tokens per word, special tokens left out):");
            for (ModelInspection.Sample s : m.samples()) {
                out.printf(
                        Locale.ROOT,
                        "  %-30s %4.1f  %s%n",
                        s.text(),
                        s.tokensPerWord(m.specialTokens()),
                        String.join(" ", s.tokens()));
            }
            out.flush();
            return 0;
        }

        private static void row(PrintWriter out, String name, String value) {
            out.printf(Locale.ROOT, "%-16s %s%n", name, value);
        }
    }

    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description =
                    "Check a model directory (everything 'inspect' checks, then every weight read) and copy it into the base store "
                            + "under a name usable as BASE_MODEL, --base and --model.")
    static final class Import implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(
                index = "0",
                description = "Model directory in the Hugging Face / sentence-transformers layout.")
        Path directory;

        @Option(names = "--name", description = "Name of the base. Default: the directory's name.")
        String name;

        @Option(
                names = "--store",
                description =
                        "Base store. Default: $SEARCHLOOP_CACHE_DIR/bases (~/.cache/searchloop/bases).")
        Path store;

        @Override
        public Integer call() throws Exception {
            String baseName =
                    name != null
                            ? name
                            : directory.toAbsolutePath().normalize().getFileName().toString();
            Path imported =
                    BaseModel.importBase(
                            directory, baseName, store != null ? store : BaseModel.store());
            spec.commandLine()
                    .getOut()
                    .printf("imported %s as base '%s' into %s%n", directory, baseName, imported);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
