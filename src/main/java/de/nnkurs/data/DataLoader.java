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
 * two blocks of memory the epoch reuses in turn, and the batch's arrays are made over that memory
 * without a copy: no allocation per batch, in Java or in the engine, and the Java-side work off the
 * training thread. A batch's memory is reused only after the batch is closed, as the loop closes
 * each one; a batch kept open keeps its values, and the loader takes new memory instead.
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
                if (hasNext()) {
                    // The next batch is gathered and transformed on the helper thread while this
                    // one trains, into the other staging, whose last batch the loop has closed;
                    // one still open keeps its memory, and the loader takes new memory instead.
                    if (staging[turn].owner != null && staging[turn].owner.isOpen()) {
                        staging[turn] = new Staging();
                    }
                    ahead = prepare(order, next, staging[turn]);
                } else {
                    ahead = null;
                }
                return batch(ready, start);
            }
        };
    }

    /**
     * A batch's memory: filled on the helper thread, then handed to the engine without a copy. Each
     * epoch reuses two of them in turn.
     */
    private static final class Staging {
        float[] images = new float[0];
        ByteBuffer imageMemory = ByteBuffer.allocateDirect(0);
        ByteBuffer labelMemory = ByteBuffer.allocateDirect(0);
        int size;

        /** The manager of the batch that last used this memory. */
        NDManager owner;
    }

    /** Gathers and transforms the batch starting at {@code start} into {@code into}, ahead. */
    private Future<Staging> prepare(int[] order, int start, Staging into) {
        int size = Math.min(batchSize, order.length - start);
        return AHEAD.submit(
                () -> {
                    if (into.images.length < size * Lesson.INPUT) {
                        into.images = new float[size * Lesson.INPUT];
                        into.imageMemory = direct(size * Lesson.INPUT * Float.BYTES);
                        into.labelMemory = direct(size * Long.BYTES);
                    }
                    for (int i = 0; i < size; i++) {
                        int example = order[start + i];
                        CourseTransform.apply(
                                split.pixels(),
                                example * Lesson.INPUT,
                                into.images,
                                i * Lesson.INPUT,
                                Lesson.INPUT);
                        into.labelMemory.putLong(i * Long.BYTES, split.labels()[example]);
                    }
                    into.imageMemory.clear();
                    into.imageMemory.asFloatBuffer().put(into.images, 0, size * Lesson.INPUT);
                    into.size = size;
                    return into;
                });
    }

    private static ByteBuffer direct(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
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

    /** Wraps the staged memory as the batch's arrays: the engine reads it where it is. */
    private Batch batch(Staging staged, int start) {
        int size = staged.size;
        NDManager batchManager = manager.newSubManager();
        staged.owner = batchManager;
        ByteBuffer images =
                staged.imageMemory
                        .slice(0, size * Lesson.INPUT * Float.BYTES)
                        .order(ByteOrder.nativeOrder());
        ByteBuffer labels =
                staged.labelMemory.slice(0, size * Long.BYTES).order(ByteOrder.nativeOrder());
        NDArray x =
                batchManager.create(
                        images,
                        new Shape(size, 1, Lesson.IMAGE_SIDE, Lesson.IMAGE_SIDE),
                        DataType.FLOAT32);
        NDArray y = batchManager.create(labels, new Shape(size), DataType.INT64);
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
