package io.searchloop.encoder.weights;

import java.util.Arrays;

/**
 * A named float32 tensor held on the Java heap, in row-major order; the exchange type of all weight
 * I/O.
 */
// Weights move through it in bulk and are never compared; value equality over millions of floats
// would be a trap, not a feature.
@SuppressWarnings("ArrayRecordComponent")
public record Tensor(long[] shape, float[] data) {
    public Tensor {
        long size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (size != data.length) {
            throw new IllegalArgumentException(
                    "tensor of shape "
                            + Arrays.toString(shape)
                            + " needs "
                            + size
                            + " values, got "
                            + data.length);
        }
    }

    /** The transpose of a 2-D tensor ([in, out] → [out, in]). */
    public Tensor transpose2d() {
        if (shape.length != 2) {
            throw new IllegalStateException(
                    "transpose2d needs a 2-D tensor, got shape " + Arrays.toString(shape));
        }
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        float[] out = new float[data.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = data[r * cols + c];
            }
        }
        return new Tensor(new long[] {cols, rows}, out);
    }

    public String shapeText() {
        return Arrays.toString(shape);
    }
}
