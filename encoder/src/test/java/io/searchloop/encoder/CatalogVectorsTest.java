package io.searchloop.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.searchloop.schemas.keys.TextHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogVectorsTest {

    @Test
    void shouldReadBackWhatItWroteAndFindAVectorOnlyForTheSameText(@TempDir Path dir)
            throws IOException {
        CatalogVectors vectors = new CatalogVectors(3);
        vectors.put("p1", TextHash.of("Дымоход 115 мм"), new float[] {1, 0, 0});
        vectors.put("p2", TextHash.of("Шуруповерт"), new float[] {0, 0.6f, 0.8f});
        vectors.write(dir);

        CatalogVectors read = CatalogVectors.read(dir);
        assertThat(read.size()).isEqualTo(2);
        assertThat(read.dimension()).isEqualTo(3);
        assertThat(read.find("p1", "Дымоход 115 мм")).containsExactly(1, 0, 0);
        assertThat(read.find("p2", "Шуруповерт")).containsExactly(0, 0.6f, 0.8f);
        assertThat(read.find("p1", "Дымоход 120 мм")).as("the text changed").isNull();
        assertThat(read.find("p3", "Шуруповерт")).as("another product").isNull();
    }

    @Test
    void shouldKnowNothingWithoutAFileAndRefuseAMalformedOne(@TempDir Path dir) throws IOException {
        assertThat(CatalogVectors.read(dir).size()).isZero();
        Files.write(dir.resolve(CatalogVectors.FILE), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertThatThrownBy(() -> CatalogVectors.read(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a catalog embeddings file");

        CatalogVectors one = new CatalogVectors(2);
        one.put("p1", "h", new float[] {1, 0});
        one.write(dir);
        byte[] whole = Files.readAllBytes(dir.resolve(CatalogVectors.FILE));
        Files.write(dir.resolve(CatalogVectors.FILE), Arrays.copyOf(whole, whole.length - 3));
        assertThatThrownBy(() -> CatalogVectors.read(dir)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> one.put("p2", "h", new float[] {1, 0, 0}))
                .hasMessageContaining("expected 2");
    }

    @Test
    void shouldEncodeOnlyWhatItDoesNotKnow(@TempDir Path dir) throws IOException {
        try (SentenceEncoder model =
                SentenceEncoder.load(
                        TinyModels.write(dir.resolve("tiny"), 5),
                        EncoderOptions.defaults().withDevice(EncoderOptions.DeviceChoice.CPU))) {
            List<String> ids = List.of("p1", "p2");
            List<String> texts = List.of("дымоход утепленный", "шуруповерт аккумуляторный");
            float[][] encoded = model.encode(texts);
            float[] sentinel = new float[model.dimension()];
            sentinel[0] = 1;
            CatalogVectors known = new CatalogVectors(model.dimension());
            known.put("p1", TextHash.of(texts.get(0)), sentinel);
            known.put("p2", TextHash.of("an older text"), sentinel);

            CatalogVectors.Embedded embedded = known.encode(model, ids, texts);
            assertThat(embedded.reused()).isEqualTo(1);
            float[][] out = embedded.vectors();
            assertThat(out[0]).as("known for this text: reused").isSameAs(sentinel);
            assertThat(out[1]).as("known for another text: encoded").containsExactly(encoded[1]);
            assertThat(CatalogVectors.none().encode(model, ids, texts).vectors()[0])
                    .containsExactly(encoded[0]);
        }
    }
}
