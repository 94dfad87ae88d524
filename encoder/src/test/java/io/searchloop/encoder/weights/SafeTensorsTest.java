package io.searchloop.encoder.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.searchloop.encoder.TinyModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    @Test
    void shouldWriteExactlyTheTensorNamesAndShapesOfHuggingFaceBertModel(@TempDir Path dir)
            throws Exception {
        TinyModels.write(dir, 3);
        // Written out by hand from transformers' BertModel state dict, for hidden 32, intermediate
        // 64, 2 layers.
        Map<String, List<Long>> expected = new LinkedHashMap<>();
        expected.put("embeddings.word_embeddings.weight", List.of(72L, 32L));
        expected.put("embeddings.position_embeddings.weight", List.of(64L, 32L));
        expected.put("embeddings.token_type_embeddings.weight", List.of(2L, 32L));
        expected.put("embeddings.LayerNorm.weight", List.of(32L));
        expected.put("embeddings.LayerNorm.bias", List.of(32L));
        for (int i = 0; i < 2; i++) {
            String l = "encoder.layer." + i + ".";
            expected.put(l + "attention.self.query.weight", List.of(32L, 32L));
            expected.put(l + "attention.self.query.bias", List.of(32L));
            expected.put(l + "attention.self.key.weight", List.of(32L, 32L));
            expected.put(l + "attention.self.key.bias", List.of(32L));
            expected.put(l + "attention.self.value.weight", List.of(32L, 32L));
            expected.put(l + "attention.self.value.bias", List.of(32L));
            expected.put(l + "attention.output.dense.weight", List.of(32L, 32L));
            expected.put(l + "attention.output.dense.bias", List.of(32L));
            expected.put(l + "attention.output.LayerNorm.weight", List.of(32L));
            expected.put(l + "attention.output.LayerNorm.bias", List.of(32L));
            expected.put(l + "intermediate.dense.weight", List.of(64L, 32L));
            expected.put(l + "intermediate.dense.bias", List.of(64L));
            expected.put(l + "output.dense.weight", List.of(32L, 64L));
            expected.put(l + "output.dense.bias", List.of(32L));
            expected.put(l + "output.LayerNorm.weight", List.of(32L));
            expected.put(l + "output.LayerNorm.bias", List.of(32L));
        }
        expected.put("pooler.dense.weight", List.of(32L, 32L));
        expected.put("pooler.dense.bias", List.of(32L));

        Map<String, List<Long>> actual = new LinkedHashMap<>();
        SafeTensors.header(dir.resolve("model.safetensors"))
                .forEach(
                        (name, shape) -> {
                            List<Long> dims = new ArrayList<>();
                            for (long d : shape) {
                                dims.add(d);
                            }
                            actual.put(name, dims);
                        });
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected);
        String header = headerText(dir.resolve("model.safetensors"));
        assertThat(header)
                .contains("\"dtype\":\"F32\"")
                .contains("\"__metadata__\":{\"format\":\"pt\"}");
    }

    private static String headerText(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        long length = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(length % 8).as("header padded to 8 bytes").isZero();
        return new String(bytes, 8, (int) length, StandardCharsets.UTF_8);
    }

    @Test
    void shouldRoundTripValues(@TempDir Path dir) throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put(
                "a",
                new Tensor(
                        new long[] {2, 3}, new float[] {1, -2, 3.5f, Float.MIN_VALUE, 1e30f, -0f}));
        tensors.put("b", new Tensor(new long[] {1}, new float[] {42}));
        SafeTensors.write(dir.resolve("t.safetensors"), tensors, Map.of());
        Map<String, Tensor> back = SafeTensors.read(dir.resolve("t.safetensors"));
        assertThat(back.get("a").data()).containsExactly(tensors.get("a").data());
        assertThat(back.get("a").shape()).containsExactly(2, 3);
        assertThat(back.get("b").data()).containsExactly(42f);
    }

    @Test
    void shouldReadHalfPrecisionFiles(@TempDir Path dir) throws Exception {
        // One F16 tensor [1.0, -2.0, 0.5, 65504] and one BF16 tensor [1.0, -3.0], written by hand.
        String header =
                "{\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[8,12]}}";
        ByteBuffer buf =
                ByteBuffer.allocate(8 + header.length() + 12).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length()).put(header.getBytes(StandardCharsets.UTF_8));
        buf.putShort((short) 0x3C00)
                .putShort((short) 0xC000)
                .putShort((short) 0x3800)
                .putShort((short) 0x7BFF);
        buf.putShort((short) 0x3F80).putShort((short) 0xC040);
        Files.write(dir.resolve("half.safetensors"), buf.array());

        Map<String, Tensor> read = SafeTensors.read(dir.resolve("half.safetensors"));
        assertThat(read.get("h").data()).containsExactly(1f, -2f, 0.5f, 65504f);
        assertThat(read.get("b").data()).containsExactly(1f, -3f);
        assertThat(SafeTensors.halfToFloat((short) 0x0001)).isEqualTo(5.9604645e-8f);
    }

    @Test
    void shouldRefuseAFileThatIsNotSafetensors(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("x.safetensors"), "not a model");
        assertThatThrownBy(() -> SafeTensors.read(dir.resolve("x.safetensors")))
                .hasMessageContaining("not a safetensors file");
    }
}
