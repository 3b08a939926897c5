package de.nnkurs.web;

import ai.djl.inference.Predictor;
import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;

import de.nnkurs.model.EngineThreads;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A fixed number of workers, each with its own predictor, fed from one bounded queue: a worker
 * takes every request waiting (up to {@link #BATCH}) as one batch and never waits for more, as the
 * export's {@code batch_size=64}, {@code max_batch_delay=0} tell DJL Serving to. A full queue
 * refuses at once instead of making a request wait without end.
 */
final class PredictionQueue implements AutoCloseable {

    /** The largest batch a worker runs, as the export's {@code batch_size}. */
    static final int BATCH = 64;

    /** How long an idle worker sleeps before it looks whether the queue is closing. */
    private static final long POLL_MS = 50;

    /** One request and where its answer goes. */
    private record Job(Input input, CompletableFuture<Output> answer) {}

    private final BlockingQueue<Job> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final int threads;
    private volatile boolean closing;

    PredictionQueue(ZooModel<Input, Output> model, int workerCount, int capacity) {
        String fixed = System.getProperty(EngineThreads.PROPERTY);
        threads = fixed == null ? 1 : Integer.parseInt(fixed.strip());
        EngineThreads.check(threads);
        queue = new ArrayBlockingQueue<>(capacity);
        for (int i = 0; i < workerCount; i++) {
            Thread worker = new Thread(() -> work(model), "nnkurs-predict-" + (i + 1));
            worker.setDaemon(true);
            workers.add(worker);
        }
        workers.forEach(Thread::start);
    }

    /**
     * Queues a request.
     *
     * @param input the request as DJL Serving builds it
     * @return its answer to come, or {@code null} if the queue is full or closing
     */
    CompletableFuture<Output> offer(Input input) {
        if (closing) {
            return null;
        }
        Job job = new Job(input, new CompletableFuture<>());
        return queue.offer(job) ? job.answer() : null;
    }

    private void work(ZooModel<Input, Output> model) {
        // One libtorch thread per worker, as DJL Serving's OMP_NUM_THREADS=1, unless fixed.
        EngineThreads.use(threads);
        try (Predictor<Input, Output> predictor = model.newPredictor()) {
            List<Job> batch = new ArrayList<>(BATCH);
            while (!(closing && queue.isEmpty())) {
                Job first;
                try {
                    first = queue.poll(POLL_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    break;
                }
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                run(predictor, batch);
            }
        }
    }

    private static void run(Predictor<Input, Output> predictor, List<Job> batch) {
        List<Input> inputs = new ArrayList<>(batch.size());
        batch.forEach(job -> inputs.add(job.input()));
        try {
            List<Output> outputs = predictor.batchPredict(inputs);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).answer().complete(outputs.get(i));
            }
        } catch (TranslateException | RuntimeException e) {
            // The translator fails single pictures on its own; if a whole batch fails anyway,
            // each request is tried alone so that one cannot take the others down.
            for (Job job : batch) {
                try {
                    job.answer().complete(predictor.predict(job.input()));
                } catch (TranslateException | RuntimeException alone) {
                    job.answer().completeExceptionally(alone);
                }
            }
        }
    }

    /** Answers what is queued, then stops the workers and their predictors (at most ~2 s). */
    @Override
    public void close() {
        closing = true;
        for (Thread worker : workers) {
            try {
                worker.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // Whatever a stuck worker left behind is refused rather than left waiting.
        for (Job job = queue.poll(); job != null; job = queue.poll()) {
            job.answer().completeExceptionally(new IllegalStateException("the server stopped"));
        }
    }
}
