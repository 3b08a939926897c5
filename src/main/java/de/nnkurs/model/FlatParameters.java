package de.nnkurs.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code model.parameters()} in one piece: every parameter of a block, and later every gradient,
 * lives in one flat float32 buffer, and each layer's weight and bias is a view of its part.
 *
 * <p>The layers keep their own tensors, names and shapes, so the forward pass, autograd, saving and
 * loading see nothing new; but an optimizer can update all 59,210 numbers of the lesson's network
 * with a few operations on {@link #values()}, {@link #gradients()} and state buffers of the same
 * layout ({@link #newBuffer()}), instead of a dozen per parameter. The element-wise arithmetic is
 * the same either way, number for number.
 *
 * <p>How: the memory is Java's (direct buffers, 64-byte aligned per parameter, as libtorch aligns
 * its own). Each parameter's tensor is pointed at its part with {@code NDArray.set(ByteBuffer)},
 * which PyTorch's engine does without a copy ({@code Tensor.set_}); the flat tensors are made over
 * the same memory. The gradients follow at the first {@link #gradients()} after a backward pass:
 * from then on autograd adds each new gradient into the flat buffer in place, because it
 * accumulates into an existing gradient instead of replacing it.
 */
public final class FlatParameters {

    /** Floats per 64 bytes: every part starts on a 64-byte boundary. */
    private static final int ALIGN = 16;

    /** Zero bytes to clear a buffer with. */
    private static final byte[] ZEROS = new byte[1 << 16];

    private final NDManager manager;
    private final List<Parameter> parameters;
    private final List<NDArray> arrays;
    private final long[] offsets;
    private final int length;
    private final Buffer values;
    private Buffer gradients;

    /** Handles on the adopted gradients; they keep the gradient memory referenced. */
    private final List<NDArray> gradientHandles = new ArrayList<>();

    private FlatParameters(Block block) {
        Map<String, Parameter> byId = new LinkedHashMap<>();
        for (Parameter p : block.getParameters().values()) {
            if (p.requiresGradient()) { // a frozen parameter is neither trained nor moved
                byId.put(p.getId(), p);
            }
        }
        parameters = List.copyOf(byId.values());
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("the block has no parameters to train");
        }
        offsets = new long[parameters.size()];
        long at = 0;
        List<NDArray> own = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            if (!p.isInitialized()) {
                throw new IllegalStateException(
                        "parameter " + p.getName() + " is not initialised yet");
            }
            NDArray array = p.getArray();
            if (array.getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException(
                        "parameter "
                                + p.getName()
                                + " is "
                                + array.getDataType()
                                + ", not float32");
            }
            offsets[i] = at;
            at += (array.size() + ALIGN - 1) / ALIGN * ALIGN;
            own.add(array);
        }
        if (at > Integer.MAX_VALUE / Float.BYTES) {
            throw new IllegalArgumentException(
                    "the block has too many parameters for one buffer: " + at);
        }
        length = (int) at;
        arrays = List.copyOf(own);
        manager = arrays.get(0).getManager();
        QuietSet.prime(manager);
        values = new Buffer();
        for (int i = 0; i < arrays.size(); i++) {
            NDArray array = arrays.get(i);
            ByteBuffer part = values.part(i);
            part.put(array.toByteBuffer()).rewind(); // the values so far, then the view
            array.set(part);
        }
    }

    /**
     * Moves the parameters of an initialised block into one buffer.
     *
     * @param block the block, initialised (its parameters created or loaded)
     * @return the flat parameters
     * @throws IllegalStateException if a parameter is not initialised
     */
    public static FlatParameters of(Block block) {
        return new FlatParameters(block);
    }

    /** Returns the ids of the trainable parameters in buffer order (the block's order). */
    public List<String> ids() {
        List<String> ids = new ArrayList<>(parameters.size());
        parameters.forEach(p -> ids.add(p.getId()));
        return Collections.unmodifiableList(ids);
    }

    /** Returns the number of floats in each flat buffer, alignment gaps included. */
    public int length() {
        return length;
    }

    /** Returns all parameter values as one flat array; writing to it writes the parameters. */
    public NDArray values() {
        return valueBuffer().all();
    }

    /** Returns the buffer that holds the parameter values. */
    public Buffer valueBuffer() {
        checkIntact();
        return values;
    }

    /**
     * Returns all gradients as one flat array, in the layout of {@link #values()}.
     *
     * <p>The first call after a backward pass moves each gradient into the flat buffer, keeping its
     * values; later backward passes add into it in place.
     *
     * @return the flat gradients
     * @throws IllegalStateException if a parameter has no gradient yet (no backward pass so far)
     */
    public NDArray gradients() {
        return gradientBuffer().all();
    }

    /**
     * Returns the buffer that holds the gradients, as {@link #gradients()} does.
     *
     * @return the gradients' buffer
     * @throws IllegalStateException if a parameter has no gradient yet
     */
    public Buffer gradientBuffer() {
        checkIntact();
        if (gradients == null) {
            Buffer flat = new Buffer();
            for (int i = 0; i < arrays.size(); i++) {
                NDArray array = arrays.get(i);
                // DJL's getGradient() would hand out fresh zeros here, not the gradient itself.
                NDArray gradient = JniUtils.getGradient((PtNDArray) array);
                if (gradient == null) {
                    throw new IllegalStateException(
                            "parameter "
                                    + parameters.get(i).getName()
                                    + " has no gradient yet: call backward before the step");
                }
                ByteBuffer part = flat.part(i);
                part.put(gradient.toByteBuffer()).rewind();
                // The same gradient tensor as the parameter's, now over the flat buffer.
                gradient.set(part);
                gradientHandles.add(gradient);
            }
            gradients = flat;
        }
        return gradients;
    }

    /**
     * Sets every gradient to +0 in place, as PyTorch's {@code zero_()} does, also where a gradient
     * overflowed to infinity or NaN; before the first backward pass, when there are no gradients
     * yet, it does nothing (PyTorch's {@code zero_grad()} then finds {@code None} everywhere).
     */
    public void zeroGradients() {
        if (gradients != null) {
            gradients.zero();
        }
    }

    /**
     * Returns a new zeroed flat buffer in the parameters' layout, for optimizer state.
     *
     * @return the buffer, owned by the parameters' manager
     */
    public Buffer newBuffer() {
        return new Buffer();
    }

    /** Checks that no parameter tensor was replaced since the parameters were flattened. */
    private void checkIntact() {
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            if (!p.isInitialized() || p.getArray() != arrays.get(i)) {
                throw new IllegalStateException(
                        "parameter "
                                + p.getName()
                                + " was replaced after its block was flattened; flatten again");
            }
        }
    }

    /**
     * One flat float32 array in the parameters' layout, with a view per parameter; zero when made.
     */
    public final class Buffer {
        private final ByteBuffer memory;
        private final NDArray all;
        private final Map<String, NDArray> views = new LinkedHashMap<>();

        private Buffer() {
            memory =
                    ByteBuffer.allocateDirect((length + ALIGN) * Float.BYTES)
                            .alignedSlice(ALIGN * Float.BYTES)
                            .order(ByteOrder.nativeOrder());
            memory.limit(length * Float.BYTES);
            all =
                    manager.create(
                            memory.slice().order(ByteOrder.nativeOrder()),
                            new Shape(length),
                            DataType.FLOAT32);
            for (int i = 0; i < parameters.size(); i++) {
                Parameter p = parameters.get(i);
                views.put(
                        p.getId(),
                        manager.create(part(i), p.getArray().getShape(), DataType.FLOAT32));
            }
        }

        /** Returns the memory of parameter {@code i}, as a native-order buffer of its size. */
        private ByteBuffer part(int i) {
            int from = (int) offsets[i] * Float.BYTES;
            int size = (int) arrays.get(i).size() * Float.BYTES;
            return memory.slice(from, size).order(ByteOrder.nativeOrder());
        }

        /**
         * Writes {@code source}'s values into one parameter's part.
         *
         * @param parameterId the parameter's id
         * @param source float32 values of the parameter's shape
         * @throws IllegalArgumentException if the id is unknown or the source does not fit
         */
        public void copyFrom(String parameterId, NDArray source) {
            NDArray view = of(parameterId);
            if (source.getDataType() != DataType.FLOAT32
                    || !source.getShape().equals(view.getShape())) {
                throw new IllegalArgumentException(
                        parameterId
                                + ": expected float32 "
                                + view.getShape()
                                + ", got "
                                + source.getDataType()
                                + " "
                                + source.getShape());
            }
            part(ids().indexOf(parameterId)).put(source.toByteBuffer());
        }

        /**
         * Sets the whole buffer to +0. The memory is Java's, so this needs no call into libtorch;
         * it must not run while libtorch works on the buffer.
         */
        void zero() {
            ByteBuffer target = memory.duplicate();
            target.rewind();
            while (target.hasRemaining()) {
                target.put(ZEROS, 0, Math.min(ZEROS.length, target.remaining()));
            }
        }

        /** Returns the whole buffer as one flat array. */
        public NDArray all() {
            return all;
        }

        /**
         * Returns one parameter's part, shaped like the parameter.
         *
         * @param parameterId the parameter's id
         * @return a view: writing to it writes the buffer
         * @throws IllegalArgumentException if the id is not one of the block's parameters
         */
        public NDArray of(String parameterId) {
            NDArray view = views.get(parameterId);
            if (view == null) {
                throw new IllegalArgumentException("no parameter with id " + parameterId);
            }
            return view;
        }
    }
}
