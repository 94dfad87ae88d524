package io.searchloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.djl.engine.Engine;
import io.searchloop.encoder.ForeignModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ModelsCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void shouldShowWhatAModelIsAndHowItCutsRussian(@TempDir Path dir) throws Exception {
        Path model =
                ForeignModels.write(dir.resolve("xlmr"), ForeignModels.Kind.XLM_ROBERTA_CLS, 1);

        assertThat(run("models", "inspect", model.toString())).as(err.toString()).isZero();

        String text = out.toString();
        assertThat(text)
                .contains(
                        "architecture     xlm-roberta: 2 layers, 4 heads, hidden 32, intermediate 64, gelu, 66 positions")
                .contains("dimension        32")
                .contains("tokenizer        Unigram, ")
                .contains("max length       64 tokens")
                .contains("pooling          cls, then L2-normalised")
                .contains("training memory  ")
                .containsPattern(
                        "труба для отвода дыма\\s+1\\.0\\s+<s> ▁труба ▁для ▁отвода ▁дыма </s>")
                .contains("▁ш у р у п о в ё р т")
                .containsPattern("parameters       [\\d,]+ \\(0\\.\\d M\\)");
    }

    @Test
    void shouldRefuseByNameWhatItCannotCompute(@TempDir Path dir) throws Exception {
        Path model = ForeignModels.write(dir.resolve("m"), ForeignModels.Kind.WORDPIECE, 1);
        Files.writeString(
                model.resolve("config.json"),
                Files.readString(model.resolve("config.json")).replace("\"bert\"", "\"albert\""));

        assertThat(run("models", "inspect", model.toString())).isNotZero();
        assertThat(err.toString())
                .contains(
                        "model_type 'albert' is not supported: shares one layer's weights across layers");
        assertThat(
                        run(
                                "models",
                                "import",
                                model.toString(),
                                "--store",
                                dir.resolve("bases").toString()))
                .isNotZero();
        assertThat(dir.resolve("bases/m")).doesNotExist();
    }

    @Test
    void shouldImportIntoTheStoreUnderAName(@TempDir Path dir) throws Exception {
        Path model =
                ForeignModels.write(dir.resolve("ru-wordpiece"), ForeignModels.Kind.WORDPIECE, 1);

        assertThat(
                        run(
                                "models",
                                "import",
                                model.toString(),
                                "--store",
                                dir.resolve("bases").toString()))
                .as(err.toString())
                .isZero();

        assertThat(out.toString()).contains("as base 'ru-wordpiece'");
        assertThat(dir.resolve("bases/ru-wordpiece/model.safetensors"))
                .hasSameBinaryContentAs(model.resolve("model.safetensors"));
        assertThat(
                        run(
                                "models",
                                "import",
                                model.toString(),
                                "--store",
                                dir.resolve("bases").toString()))
                .isNotZero();
        assertThat(err.toString()).contains("already exists");
    }

    @Test
    void shouldFailClearlyWhenAGpuIsRequestedAndThereIsNone(@TempDir Path dir) throws Exception {
        assumeThat(Engine.getEngine("PyTorch").getGpuCount())
                .as("this machine has no GPU")
                .isZero();
        Path model = ForeignModels.write(dir.resolve("m"), ForeignModels.Kind.WORDPIECE, 1);
        Path input = Files.writeString(dir.resolve("in.txt"), "дымоход\n");

        int exit =
                run(
                        "encode",
                        "--model",
                        model.toString(),
                        "--device",
                        "gpu",
                        "--input",
                        input.toString(),
                        "--output",
                        dir.resolve("o").toString());

        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("device GPU requested but PyTorch sees no GPU");
    }
}
