package io.searchloop.encoder.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hand-built ONNX graph in PyTorch's export style: an anonymous MatMul weight followed by an Add
 * with a named bias.
 */
class OnnxBertImporterTest {

    @Test
    void shouldNameAnonymousMatMulWeightsByTheBiasThatFollowsAndTransposeThem(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("m.onnx");
        Files.write(file, model(true));

        Map<String, Tensor> weights = OnnxBertImporter.read(file);

        assertThat(weights)
                .containsOnlyKeys(
                        "encoder.layer.0.attention.self.query.bias",
                        "encoder.layer.0.attention.self.query.weight");
        Tensor weight = weights.get("encoder.layer.0.attention.self.query.weight");
        // Stored [in=2, out=3] as [[1,2,3],[4,5,6]]; HF wants [out, in] = [[1,4],[2,5],[3,6]].
        assertThat(weight.shape()).containsExactly(3, 2);
        assertThat(weight.data()).containsExactly(1, 4, 2, 5, 3, 6);
        assertThat(weights.get("encoder.layer.0.attention.self.query.bias").data())
                .containsExactly(0.5f, 0.25f, -1f);
    }

    @Test
    void shouldMapAHuggingFaceValueBackToTheGraphsNameAndLayout() throws Exception {
        List<OnnxBertImporter.Initializer> initializers =
                OnnxBertImporter.initializers(ByteBuffer.wrap(model(true)), "test model");

        OnnxBertImporter.Initializer weight =
                initializers.stream()
                        .filter(i -> i.onnxName().equals("onnx::MatMul_7"))
                        .findFirst()
                        .orElseThrow();
        assertThat(weight.hfName()).isEqualTo("encoder.layer.0.attention.self.query.weight");
        assertThat(weight.transposed()).isTrue();
        // An HF [out=3, in=2] value goes back to the graph's [in=2, out=3].
        Tensor back =
                weight.onnxLayout(new Tensor(new long[] {3, 2}, new float[] {1, 4, 2, 5, 3, 6}));
        assertThat(back.shape()).containsExactly(2, 3);
        assertThat(back.data()).containsExactly(1, 2, 3, 4, 5, 6);
        OnnxBertImporter.Initializer bias =
                initializers.stream().filter(i -> !i.transposed()).findFirst().orElseThrow();
        assertThat(bias.onnxName()).isEqualTo(bias.hfName());
    }

    @Test
    void shouldRefuseAWeightItCannotName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.onnx");
        Files.write(file, model(false));
        assertThatThrownBy(() -> OnnxBertImporter.read(file))
                .hasMessageContaining("cannot name ONNX weight onnx::MatMul_7");
    }

    private static byte[] model(boolean withAdd) {
        Proto graph = new Proto();
        graph.message(
                1,
                new Proto()
                        .string(1, "x")
                        .string(1, "onnx::MatMul_7")
                        .string(2, "mm_out")
                        .string(4, "MatMul"));
        if (withAdd) {
            graph.message(
                    1,
                    new Proto()
                            .string(1, "encoder.layer.0.attention.self.query.bias")
                            .string(1, "mm_out")
                            .string(2, "add_out")
                            .string(4, "Add"));
        }
        graph.message(
                5, tensor("onnx::MatMul_7", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        graph.message(
                5,
                tensor(
                        "encoder.layer.0.attention.self.query.bias",
                        new long[] {3},
                        new float[] {0.5f, 0.25f, -1f}));
        return new Proto().varint(1, 8).string(2, "pytorch").message(7, graph).bytes();
    }

    private static Proto tensor(String name, long[] dims, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        return t.varint(2, 1).string(8, name).raw(9, raw.array());
    }

    /** Just enough of a protobuf writer to build the test model. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            writeVarint((long) field << 3);
            writeVarint(value);
            return this;
        }

        Proto raw(int field, byte[] bytes) {
            writeVarint(((long) field << 3) | 2);
            writeVarint(bytes.length);
            out.writeBytes(bytes);
            return this;
        }

        Proto string(int field, String s) {
            return raw(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto m) {
            return raw(field, m.bytes());
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void writeVarint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
