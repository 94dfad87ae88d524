package io.searchloop.encoder.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the weights of a BERT encoder exported to ONNX by PyTorch and gives them their Hugging Face
 * names. Biases, LayerNorm and embedding initializers keep their HF names in the export, but every
 * Linear weight becomes an anonymous {@code onnx::MatMul_NNN} initializer stored [in, out]. Each is
 * named by walking the graph: the MatMul node that consumes it feeds an Add whose other input is
 * the HF-named bias ({@code ….query.bias} → {@code ….query.weight}); the weight is transposed to
 * HF's [out, in]. The protobuf is read directly (no ONNX runtime needed).
 */
public final class OnnxBertImporter {
    private static final int ONNX_FLOAT = 1;

    private record Node(String opType, List<String> inputs, List<String> outputs) {}

    private OnnxBertImporter() {}

    /**
     * A float initializer of the graph: its ONNX name, the Hugging Face parameter it holds ({@code
     * null} when the graph gives no way to name it), and whether ONNX stores it transposed ([in,
     * out], a Linear weight) compared to Hugging Face's [out, in].
     */
    public record Initializer(String onnxName, String hfName, boolean transposed, Tensor stored) {
        /** The value in Hugging Face layout. */
        public Tensor hfTensor() {
            return transposed ? stored.transpose2d() : stored;
        }

        /**
         * {@code hf}, a value of this parameter in Hugging Face layout, laid out as ONNX stores it.
         */
        public Tensor onnxLayout(Tensor hf) {
            return transposed ? hf.transpose2d() : hf;
        }
    }

    /** Every float initializer of the model, under its Hugging Face name. */
    public static Map<String, Tensor> read(Path onnxFile) throws IOException {
        try (FileChannel channel = FileChannel.open(onnxFile, StandardOpenOption.READ)) {
            ByteBuffer buffer = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            Map<String, Tensor> named = new LinkedHashMap<>();
            for (Initializer i : initializers(buffer, onnxFile.toString())) {
                if (i.hfName() != null) {
                    named.put(i.hfName(), i.hfTensor());
                }
            }
            return named;
        }
    }

    /**
     * Every float initializer of the serialized model in {@code model} ({@code source} names it in
     * errors), in graph order, each with the Hugging Face name the graph gives it.
     */
    public static List<Initializer> initializers(ByteBuffer model, String source)
            throws IOException {
        ByteBuffer buffer = model.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        ProtoReader reader = new ProtoReader(buffer, buffer.position(), buffer.limit());
        Map<String, Tensor> initializers = new LinkedHashMap<>();
        List<Node> nodes = new ArrayList<>();
        boolean sawGraph = false;
        while (reader.next()) {
            if (reader.field() == 7
                    && reader.wireType() == ProtoReader.LENGTH_DELIMITED) { // ModelProto.graph
                sawGraph = true;
                readGraph(reader.message(), initializers, nodes);
            } else {
                reader.skip();
            }
        }
        if (!sawGraph) {
            throw new IOException(source + " has no ONNX graph");
        }
        return nameLinearWeights(initializers, nodes, source);
    }

    private static void readGraph(
            ProtoReader graph, Map<String, Tensor> initializers, List<Node> nodes) {
        while (graph.next()) {
            switch (graph.field()) {
                case 1 -> nodes.add(readNode(graph.message())); // GraphProto.node
                case 5 -> readTensor(graph.message(), initializers); // GraphProto.initializer
                default -> graph.skip();
            }
        }
    }

    private static Node readNode(ProtoReader node) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String op = "";
        while (node.next()) {
            switch (node.field()) {
                case 1 -> inputs.add(node.string());
                case 2 -> outputs.add(node.string());
                case 4 -> op = node.string();
                default -> node.skip();
            }
        }
        return new Node(op, inputs, outputs);
    }

    private static void readTensor(ProtoReader tensor, Map<String, Tensor> out) {
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = null;
        ByteBuffer raw = null;
        ByteBuffer floatData = null;
        while (tensor.next()) {
            switch (tensor.field()) {
                case 1 -> {
                    if (tensor.wireType() == ProtoReader.LENGTH_DELIMITED) {
                        ProtoReader packed = tensor.message();
                        while (packed.start() < packed.end()) {
                            dims.add(packed.readVarint());
                        }
                    } else {
                        dims.add(tensor.readVarint());
                    }
                }
                case 2 -> dataType = (int) tensor.readVarint();
                case 4 -> floatData = tensor.bytes();
                case 8 -> name = tensor.string();
                case 9 -> raw = tensor.bytes();
                case 14 ->
                        throw new IllegalStateException(
                                "ONNX tensor "
                                        + name
                                        + " keeps its data in an external file; not supported");
                default -> tensor.skip();
            }
        }
        if (dataType != ONNX_FLOAT || name == null) {
            return; // integer constants such as position_ids are not weights
        }
        ByteBuffer bytes = (raw != null ? raw : floatData).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(values);
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        out.put(name, new Tensor(shape, values));
    }

    private static List<Initializer> nameLinearWeights(
            Map<String, Tensor> initializers, List<Node> nodes, String source) throws IOException {
        Map<String, List<Node>> consumers = new HashMap<>();
        for (Node node : nodes) {
            for (String input : node.inputs()) {
                consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(node);
            }
        }
        Map<String, String> linearNames = new HashMap<>();
        for (Node matMul : nodes) {
            if (!matMul.opType().equals("MatMul") || matMul.inputs().size() != 2) {
                continue;
            }
            String weightName = matMul.inputs().get(1);
            if (!initializers.containsKey(weightName) || !weightName.startsWith("onnx::")) {
                continue;
            }
            String bias =
                    consumers.getOrDefault(matMul.outputs().get(0), List.of()).stream()
                            .filter(n -> n.opType().equals("Add"))
                            .flatMap(n -> n.inputs().stream())
                            .filter(in -> in.endsWith(".bias") && initializers.containsKey(in))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new IOException(
                                                    "cannot name ONNX weight "
                                                            + weightName
                                                            + " in "
                                                            + source
                                                            + ": the MatMul using it is not followed by an Add with a named bias"));
            linearNames.put(
                    weightName, bias.substring(0, bias.length() - ".bias".length()) + ".weight");
        }
        List<Initializer> out = new ArrayList<>();
        initializers.forEach(
                (name, tensor) -> {
                    String linear = linearNames.get(name);
                    if (linear != null) {
                        out.add(new Initializer(name, linear, true, tensor));
                    } else {
                        out.add(
                                new Initializer(
                                        name,
                                        name.startsWith("onnx::") ? null : name,
                                        false,
                                        tensor));
                    }
                });
        return out;
    }
}
