package de.nnkurs.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Batchifier;

import de.nnkurs.Lesson;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * The Java twin of {@code DataLoader(trainset, batch_size=256, shuffle=True)} with the course
 * transform.
 *
 * <p>Each {@code for} over the loader is one epoch: with {@code shuffle} it draws a fresh
 * permutation, like PyTorch's {@code RandomSampler}; the last, partial batch is kept ({@code
 * drop_last=False}). A batch holds images {@code (B, 1, 28, 28)} as float32 after {@code
 * ToTensor()} and {@code Normalize((0.5,), (0.5,))}, and labels {@code (B)} as int64, each in its
 * own sub-manager of the caller's manager that closes with the batch.
 *
 * <p>An epoch transforms its batches into one float array and one direct buffer that it reuses, and
 * copies each batch from there into memory of the engine that the batch owns: no new Java arrays or
 * direct buffers per batch for the garbage collector.
 */
public final class DataLoader implements Iterable<Batch> {

    private final NDManager manager;
    private final MnistSplit split;
    private final int batchSize;
    private final Sampler sampler;

    /**
     * Creates a loader that shuffles (or not) with the given generator.
     *
     * @param manager the caller's manager; batches live in sub-managers of it
     * @param split the examples
     * @param batchSize examples per batch, at least 1
     * @param shuffle whether each epoch visits the examples in a new random order
     * @param random the source of the permutations (unused without shuffle)
     */
    public DataLoader(
            NDManager manager, MnistSplit split, int batchSize, boolean shuffle, Random random) {
        this(manager, split, batchSize, shuffle ? Sampler.random(random) : Sampler.sequential());
    }

    /**
     * Creates a loader whose epochs follow a sampler, like {@code DataLoader(..., sampler=...)}.
     *
     * @param manager the caller's manager; batches live in sub-managers of it
     * @param split the examples
     * @param batchSize examples per batch, at least 1
     * @param sampler the order of each epoch
     */
    public DataLoader(NDManager manager, MnistSplit split, int batchSize, Sampler sampler) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.manager = manager;
        this.split = split;
        this.batchSize = batchSize;
        this.sampler = sampler;
    }

    /** Returns the number of batches per epoch, {@code len(trainloader)}. */
    public int size() {
        return (split.count() + batchSize - 1) / batchSize;
    }

    /** Starts an epoch: draws the order of the examples and returns the batches in it. */
    @Override
    public Iterator<Batch> iterator() {
        int[] order = sampler.nextEpoch(split.count());
        return new Iterator<>() {
            private int next;
            private float[] images;
            private ByteBuffer buffer;

            @Override
            public boolean hasNext() {
                return next < order.length;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int size = Math.min(batchSize, order.length - next);
                if (images == null || images.length < size * Lesson.INPUT) {
                    images = new float[size * Lesson.INPUT];
                    buffer =
                            ByteBuffer.allocateDirect(images.length * Float.BYTES)
                                    .order(ByteOrder.nativeOrder());
                }
                Batch batch = batch(order, next, size, images, buffer);
                next += size;
                return batch;
            }
        };
    }

    private Batch batch(int[] order, int start, int size, float[] images, ByteBuffer buffer) {
        long[] labels = new long[size];
        for (int i = 0; i < size; i++) {
            int example = order[start + i];
            CourseTransform.apply(
                    split.pixels(), example * Lesson.INPUT, images, i * Lesson.INPUT, Lesson.INPUT);
            labels[i] = split.labels()[example];
        }
        buffer.clear();
        buffer.asFloatBuffer().put(images, 0, size * Lesson.INPUT);
        buffer.limit(size * Lesson.INPUT * Float.BYTES);
        NDManager batchManager = manager.newSubManager();
        Shape shape = new Shape(size, 1, Lesson.IMAGE_SIDE, Lesson.IMAGE_SIDE);
        NDArray x;
        try (NDArray shared = batchManager.create(buffer, shape, DataType.FLOAT32)) {
            x = shared.duplicate(); // the batch owns a copy: the buffer serves the next batch
        }
        NDArray y = batchManager.create(labels, new Shape(size));
        return new Batch(
                batchManager,
                new NDList(x),
                new NDList(y),
                size,
                Batchifier.STACK,
                Batchifier.STACK,
                start / batchSize,
                size());
    }
}
