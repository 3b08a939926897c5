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
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
 * <p>While a batch trains, the next one is gathered and transformed on a helper thread into one of
 * two float arrays the epoch reuses; it then goes through one reused direct buffer into memory of
 * the engine that the batch owns: no new Java arrays or direct buffers per batch for the garbage
 * collector, and the Java-side work off the training thread.
 */
public final class DataLoader implements Iterable<Batch> {

    /**
     * Prepares the next batch while the current one trains: libtorch runs on one thread by default,
     * so this uses the second core. A daemon, so that it never keeps the JVM alive.
     */
    private static final ExecutorService AHEAD =
            Executors.newSingleThreadExecutor(
                    task -> {
                        Thread t = new Thread(task, "nnkurs-dataloader");
                        t.setDaemon(true);
                        return t;
                    });

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
            private final Staging[] staging = {new Staging(), new Staging()};
            private int next;
            private int turn;
            private Future<Staging> ahead = prepare(order, 0, staging[0]);
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
                Staging ready = await(ahead);
                int start = next;
                next += ready.size;
                turn ^= 1;
                // The next batch is gathered and transformed on the helper thread while this one
                // is copied to the engine and trained on; each uses its own staging arrays.
                ahead = hasNext() ? prepare(order, next, staging[turn]) : null;
                if (buffer == null || buffer.capacity() < ready.size * Lesson.INPUT * Float.BYTES) {
                    buffer =
                            ByteBuffer.allocateDirect(ready.size * Lesson.INPUT * Float.BYTES)
                                    .order(ByteOrder.nativeOrder());
                }
                return batch(ready, start, buffer);
            }
        };
    }

    /** A batch gathered and transformed on the Java heap, before it goes to the engine. */
    private static final class Staging {
        float[] images = new float[0];
        long[] labels = new long[0];
        int size;
    }

    /** Gathers and transforms the batch starting at {@code start} into {@code into}, ahead. */
    private Future<Staging> prepare(int[] order, int start, Staging into) {
        int size = Math.min(batchSize, order.length - start);
        return AHEAD.submit(
                () -> {
                    if (into.images.length < size * Lesson.INPUT) {
                        into.images = new float[size * Lesson.INPUT];
                        into.labels = new long[size];
                    }
                    for (int i = 0; i < size; i++) {
                        int example = order[start + i];
                        CourseTransform.apply(
                                split.pixels(),
                                example * Lesson.INPUT,
                                into.images,
                                i * Lesson.INPUT,
                                Lesson.INPUT);
                        into.labels[i] = split.labels()[example];
                    }
                    into.size = size;
                    return into;
                });
    }

    private static Staging await(Future<Staging> ahead) {
        try {
            return ahead.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a batch was being prepared", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("a batch could not be prepared", e.getCause());
        }
    }

    private Batch batch(Staging staged, int start, ByteBuffer buffer) {
        int size = staged.size;
        buffer.clear();
        buffer.asFloatBuffer().put(staged.images, 0, size * Lesson.INPUT);
        buffer.limit(size * Lesson.INPUT * Float.BYTES);
        NDManager batchManager = manager.newSubManager();
        Shape shape = new Shape(size, 1, Lesson.IMAGE_SIDE, Lesson.IMAGE_SIDE);
        NDArray x;
        try (NDArray shared = batchManager.create(buffer, shape, DataType.FLOAT32)) {
            x = shared.duplicate(); // the batch owns a copy: the buffer serves the next batch
        }
        NDArray y = batchManager.create(Arrays.copyOf(staged.labels, size), new Shape(size));
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
