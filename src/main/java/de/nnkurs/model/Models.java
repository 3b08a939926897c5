package de.nnkurs.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;

import de.nnkurs.Lesson;

/** Builds the slides' MNIST classifier. */
public final class Models {

    /** The input shape the classifier is initialised with: a batch of flattened images. */
    public static final Shape INPUT_SHAPE = new Shape(1, Lesson.INPUT);

    private static final NDIndex ALL = new NDIndex("...");

    private Models() {}

    /**
     * Returns the {@code nn.Sequential} style of the slides' model.
     *
     * <pre>{@code
     * model = nn.Sequential(nn.Linear(784, 64), nn.ReLU(),
     *                       nn.Linear(64, 64), nn.ReLU(),
     *                       nn.Linear(64, 64), nn.ReLU(),
     *                       nn.Linear(64, 10), nn.Softmax(dim=1))
     * }</pre>
     *
     * @param variant whether the final Softmax is there
     * @return the block, not yet initialised
     */
    public static SequentialBlock sequential(Variant variant) {
        return sequential(Architecture.lesson(variant));
    }

    /**
     * Returns a sequential network of the given design: {@code Linear, activation} per hidden
     * layer, then {@code Linear(…, 10)} and, for the slides' variant, {@code Softmax(dim=1)}.
     *
     * @param architecture hidden widths, activation, variant
     * @return the block, not yet initialised
     */
    public static SequentialBlock sequential(Architecture architecture) {
        SequentialBlock net = new SequentialBlock();
        int in = Lesson.INPUT;
        for (int width : architecture.hidden()) {
            net.add(Layers.linear(in, width)).add(architecture.activation().block());
            in = width;
        }
        net.add(Layers.linear(in, Lesson.OUTPUT));
        if (architecture.variant() == Variant.SLIDES) {
            net.addSingleton(x -> x.softmax(1), "softmax");
        }
        return net;
    }

    /**
     * {@code images.view(images.shape[0], -1)}: a batch of images (B, 1, 28, 28) as rows (B, 784).
     *
     * @param images one array of images, any shape whose first axis is the batch
     * @return the same data as (B, 784), a view where the engine allows
     */
    public static NDList flatten(NDList images) {
        return new NDList(flatten(images.singletonOrThrow()));
    }

    /**
     * {@code images.view(images.shape[0], -1)} for one array.
     *
     * @param images a batch, any shape whose first axis is the batch
     * @return (B, 784)
     */
    public static NDArray flatten(NDArray images) {
        return images.reshape(images.getShape().get(0), -1);
    }

    /**
     * Seeds the engine and initialises the block's parameters (PyTorch's {@code nn.Linear} init).
     *
     * @param block the block
     * @param manager the manager that will own the parameters
     * @param seed the random seed, as {@code torch.manual_seed(seed)}
     */
    public static void initialize(Block block, NDManager manager, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        block.initialize(manager, DataType.FLOAT32, INPUT_SHAPE);
    }

    /**
     * Seeds the engine's generator for one epoch from the run's seed, so that what an epoch draws
     * (RReLU's slopes) depends on the seed and the epoch only, and a resumed run draws the same.
     *
     * @param seed the run's seed
     * @param epoch the epoch about to start, from 1
     */
    public static void seedEpoch(long seed, int epoch) {
        Engine.getInstance().setRandomSeed((int) ((seed * 1_000_003L + epoch) & Integer.MAX_VALUE));
    }

    /**
     * Overwrites a parameter's values in place with {@code values} (an array of its shape, or a
     * number for every element).
     *
     * <p>It writes through a detached view: a parameter is a leaf that records gradients, and
     * libtorch refuses in-place writes to such a leaf on any thread where autograd is on (the
     * property tests met this on jqwik's thread). An indexed put also avoids the deprecation
     * warning that {@code NDArray.copyTo} makes libtorch print.
     *
     * @param parameter the parameter, initialised
     * @param values an {@link NDArray} of the same shape, or a {@link Number}
     */
    public static void overwrite(Parameter parameter, Object values) {
        try (NDArray view = parameter.getArray().stopGradient()) {
            if (values instanceof NDArray array) {
                view.set(ALL, array);
            } else {
                view.set(ALL, (Number) values);
            }
        }
    }

    /**
     * Returns the number of scalar parameters of an initialised block.
     *
     * @param block the block
     * @return the sum of the parameter sizes (59,210 for the lesson's model)
     */
    public static long parameterCount(Block block) {
        long n = 0;
        for (Parameter p : block.getParameters().values()) {
            n += p.getArray().size();
        }
        return n;
    }
}
