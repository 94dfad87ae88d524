package io.searchloop.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseImportTest {
    private static final EncoderOptions CPU =
            EncoderOptions.defaults().withDevice(EncoderOptions.DeviceChoice.CPU);

    @Test
    void shouldImportACheckedCopyUsableByName(@TempDir Path dir) throws Exception {
        Path source =
                ForeignModels.write(dir.resolve("rubert-tiny"), ForeignModels.Kind.UNIGRAM, 5);
        Files.writeString(source.resolve("README.md"), "not part of the model");
        Path store = dir.resolve("bases");

        Path imported = BaseModel.importBase(source, "ru-tiny", store);

        assertThat(imported).isEqualTo(store.resolve("ru-tiny"));
        assertThat(BaseModel.resolve("ru-tiny", store)).isEqualTo(imported);
        for (String file :
                List.of(
                        "model.safetensors",
                        "config.json",
                        "tokenizer.json",
                        "tokenizer_config.json",
                        "special_tokens_map.json",
                        "modules.json",
                        "1_Pooling/config.json",
                        "sentence_bert_config.json")) {
            assertThat(Files.readAllBytes(imported.resolve(file)))
                    .as(file)
                    .isEqualTo(Files.readAllBytes(source.resolve(file)));
        }
        assertThat(imported.resolve("README.md")).doesNotExist();
        assertThat(store)
                .isDirectoryNotContaining(p -> p.getFileName().toString().startsWith(".import-"));
        try (SentenceEncoder a = SentenceEncoder.load(source, CPU);
                SentenceEncoder b = SentenceEncoder.load(imported, CPU)) {
            assertThat(b.encode(List.of("дымоход"))[0])
                    .containsExactly(a.encode(List.of("дымоход"))[0]);
        }
        assertThatThrownBy(() -> BaseModel.importBase(source, "ru-tiny", store))
                .hasMessageContaining("already exists");
    }

    @Test
    void shouldRefuseToImportWhatCannotBeComputedOrNamed(@TempDir Path dir) throws Exception {
        Path source = ForeignModels.write(dir.resolve("m"), ForeignModels.Kind.WORDPIECE, 5);
        Path store = dir.resolve("bases");
        assertThatThrownBy(() -> BaseModel.importBase(source, "../escape", store))
                .hasMessageContaining("must be letters, digits");
        assertThatThrownBy(() -> BaseModel.importBase(source, "base", store))
                .hasMessageContaining("not 'base'");
        Files.writeString(
                source.resolve("config.json"),
                Files.readString(source.resolve("config.json")).replace("\"bert\"", "\"mpnet\""));
        assertThatThrownBy(() -> BaseModel.importBase(source, "m", store))
                .hasMessageContaining("model_type 'mpnet' is not supported");
        assertThat(store.resolve("m")).doesNotExist();
        assertThatThrownBy(() -> BaseModel.resolve("nothing-here", store))
                .hasMessageContaining("not a base imported into " + store);
    }
}
