package io.searchloop.encoder.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Constants for arithmetic that autograd may record. DJL's {@code NDArray.mul(Number)} and its
 * siblings wrap the number in a tensor over a Java buffer and free it when the call returns, while
 * autograd may keep that tensor for backward; after a GC, backward then reads freed memory. A
 * scalar made here is allocated by PyTorch ({@code torch.full}) on the manager and device of the
 * array it will be combined with, so it lives as long as that array's manager. {@code
 * AutogradConstantsTest} keeps the {@code Number} overloads out of {@code model/} and {@code
 * train/}.
 */
public final class Scalars {
    private Scalars() {}

    /** A 0-dim tensor holding {@code value}, with {@code like}'s manager, device and data type. */
    public static NDArray of(NDArray like, float value) {
        return like.getManager().full(new Shape(), value, like.getDataType());
    }
}
