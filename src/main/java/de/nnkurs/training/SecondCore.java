package de.nnkurs.training;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The second core for the optimizer's element-wise work: while the training thread updates one half
 * of the flat buffers, a helper thread updates the other. libtorch runs each operation on the
 * calling thread (one intra-op thread), and an element-wise operation computes every number alone,
 * so the split changes no result.
 */
final class SecondCore {

    /**
     * Below this many floats per buffer the update stays on one thread: handing half to another
     * thread costs about as much as it saves.
     */
    static final int WORTH_SPLITTING = Integer.getInteger("nnkurs.split", 32_768);

    private static final ExecutorService HELPER =
            Executors.newSingleThreadExecutor(
                    task -> {
                        Thread t = new Thread(task, "nnkurs-optimizer");
                        t.setDaemon(true);
                        return t;
                    });

    private SecondCore() {}

    /** Runs {@code second} on the helper thread and {@code first} here, and waits for both. */
    static void both(Runnable first, Runnable second) {
        Future<?> other = HELPER.submit(second);
        RuntimeException failed = null;
        try {
            first.run();
        } catch (RuntimeException e) {
            failed = e;
        }
        try {
            other.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the optimizer step", e);
        } catch (ExecutionException e) {
            if (failed == null) {
                failed =
                        e.getCause() instanceof RuntimeException r
                                ? r
                                : new IllegalStateException(e.getCause());
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
