package de.nnkurs.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

import de.nnkurs.InvalidSettingException;
import de.nnkurs.Lesson;
import de.nnkurs.compare.PeakMemory;
import de.nnkurs.data.CourseTransform;
import de.nnkurs.data.DigitImages;
import de.nnkurs.data.MnistData;
import de.nnkurs.data.MnistSplit;
import de.nnkurs.export.DigitClassifier;
import de.nnkurs.export.ModelFolder;
import de.nnkurs.export.ServingFolder;
import de.nnkurs.io.AtomicDirectory;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.EngineThreads;
import de.nnkurs.model.Variant;
import de.nnkurs.training.EpochResult;
import de.nnkurs.training.TrainedModel;
import de.nnkurs.training.RunListener;
import de.nnkurs.run.TrainingRun;
import de.nnkurs.training.TrainingSettings;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Times the hands-on in this process: the slides' training loop (seconds per epoch after a warm-up
 * epoch), single-picture prediction through the exported model as {@code predict} runs it, and
 * batched inference with the trained network. Wall-clock figures: they depend on the machine and on
 * what else runs on it, which is why they are printed, never asserted.
 */
public final class Benchmark {

    /** Batch sizes of the batched inference. */
    static final int[] INFERENCE_BATCHES = {256, 10_000};

    private Benchmark() {}

    /**
     * What to run.
     *
     * @param epochs training epochs, the first a warm-up, at least 2
     * @param predictions single-picture predictions timed, after a tenth as many warm-up ones
     * @param inferencePasses passes over the test set per batch size, the first a warm-up
     * @param maxBatches stop each training epoch after this many batches (0: whole epochs), for a
     *     quick check
     */
    public record Settings(int epochs, int predictions, int inferencePasses, int maxBatches) {

        /** Checks the values, naming the setting at fault. */
        public Settings {
            if (epochs < 2) {
                throw new InvalidSettingException(
                        "epochs", "must be at least 2 (one warm-up), got " + epochs);
            }
            if (predictions < 10) {
                throw new InvalidSettingException(
                        "predictions", "must be at least 10, got " + predictions);
            }
            if (maxBatches < 0) {
                throw new InvalidSettingException(
                        "max-batches", "must be 0 or more, got " + maxBatches);
            }
            if (inferencePasses < 2) {
                throw new InvalidSettingException(
                        "passes", "must be at least 2 (one warm-up), got " + inferencePasses);
            }
        }

        /** Training epochs unless told: 1 warm-up and 4 timed. */
        public static final int EPOCHS = 5;

        /** Single-picture predictions timed unless told. */
        public static final int PREDICTIONS = 2_000;

        /** Passes over the test set per inference batch size unless told, 1 a warm-up. */
        public static final int PASSES = 6;

        /** 1 warm-up and 4 timed epochs, 2,000 predictions, 6 passes, whole epochs. */
        public static Settings standard() {
            return new Settings(EPOCHS, PREDICTIONS, PASSES, 0);
        }
    }

    /**
     * Runs the benchmark: trains the slides' network, exports it into a temporary folder, times
     * prediction and inference, and removes the folder.
     *
     * @param mnist the data
     * @param settings how much to run
     * @param log receives one line per phase, for progress
     * @return the figures
     * @throws IOException if the temporary export cannot be written
     */
    public static BenchmarkResult run(MnistData mnist, Settings settings, Consumer<String> log)
            throws IOException {
        TrainingSettings training =
                TrainingSettings.builder()
                        .optEpochs(settings.epochs())
                        .optMaxBatches(settings.maxBatches())
                        .build();
        int examples = mnist.train().count();
        if (settings.maxBatches() > 0) {
            examples = Math.min(examples, settings.maxBatches() * training.batchSize());
        }
        log.accept("training " + settings.epochs() + " epochs (the first is a warm-up) …");
        int threads = EngineThreads.chosenFor(Architecture.lesson(Variant.SLIDES));
        int threadsBefore = EngineThreads.use(threads);
        Path work = Files.createTempDirectory("nnkurs-bench-");
        boolean count = NativeCalls.available();
        if (count) {
            NativeCalls.install(); // before the warm-up epoch, which absorbs the rewrite
        }
        StepCalls stepCalls = new StepCalls(count);
        try (TrainedModel trained =
                TrainingRun.of(training)
                        .data(mnist)
                        .run(epochLog(log, settings.epochs()).andThen(stepCalls))) {
            double[] epochs =
                    trained.result().epochs().stream().mapToDouble(EpochResult::seconds).toArray();
            log.accept("the plain DJL Trainer loop, " + settings.epochs() + " epochs …");
            DjlTrainerPeer.Result peer = DjlTrainerPeer.run(mnist.train(), training, count);
            log.accept("batched inference …");
            double[] imagesPerSecond = new double[INFERENCE_BATCHES.length];
            for (int i = 0; i < INFERENCE_BATCHES.length; i++) {
                imagesPerSecond[i] =
                        inference(
                                trained.block(),
                                mnist.test(),
                                INFERENCE_BATCHES[i],
                                settings.inferencePasses());
            }
            Path saved = work.resolve("mnist");
            ModelFolder.save(trained, saved);
            Path exported = ServingFolder.export(saved, work.resolve("serving"));
            log.accept("single-picture predictions through the exported model …");
            double[] micros = predictLatencies(exported, mnist.test(), settings.predictions());
            Double rss = PeakMemory.residentMb();
            return new BenchmarkResult(
                    epochs,
                    peer.epochSeconds(),
                    stepCalls.median(),
                    peer.nativeCallsPerStep(),
                    examples,
                    percentile(micros, 50),
                    percentile(micros, 99),
                    imagesPerSecond[0],
                    imagesPerSecond[1],
                    rss == null ? Double.NaN : rss,
                    threads,
                    Runtime.getRuntime().availableProcessors());
        } finally {
            AtomicDirectory.deleteTree(work);
            EngineThreads.use(threadsBefore);
        }
    }

    /** Counts native calls between consecutive steps after the warm-up epoch. */
    private static final class StepCalls implements RunListener {
        private final boolean counting;
        private final List<Long> perStep = new ArrayList<>();
        private long last = -1;

        StepCalls(boolean counting) {
            this.counting = counting;
        }

        @Override
        public void onStep(int epoch, int step, int steps, float loss) {
            if (!counting || epoch < 2) {
                return;
            }
            long now = NativeCalls.total();
            if (step > 1 && last >= 0) {
                perStep.add(now - last); // within an epoch: no test pass in between
            }
            last = now;
        }

        double median() {
            return perStep.isEmpty()
                    ? Double.NaN
                    : Benchmark.median(perStep.stream().mapToDouble(Long::doubleValue).toArray());
        }
    }

    private static RunListener epochLog(Consumer<String> log, int epochs) {
        return new RunListener() {
            @Override
            public void onEpoch(EpochResult r) {
                log.accept(
                        String.format(
                                java.util.Locale.ROOT,
                                "  epoch %d/%d: %.3f s training",
                                r.epoch(),
                                epochs,
                                r.seconds()));
            }
        };
    }

    /**
     * Returns test images per second of the trained network's forward pass and arg-max, at one
     * batch size: the median over the timed passes, each over the whole test set. The images are
     * transformed and on the engine before the clock starts.
     */
    static double inference(Block block, MnistSplit test, int batchSize, int passes) {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] pixels = new float[test.count() * Lesson.INPUT];
            CourseTransform.apply(test.pixels(), 0, pixels, 0, pixels.length);
            NDArray all = manager.create(pixels, new Shape(test.count(), Lesson.INPUT));
            ParameterStore ps = new ParameterStore(manager, false);
            double[] rates = new double[passes - 1];
            for (int pass = 0; pass < passes; pass++) {
                long start = System.nanoTime();
                int seen = 0;
                for (int from = 0; from < test.count(); from += batchSize) {
                    int to = Math.min(test.count(), from + batchSize);
                    try (NDManager step = manager.newSubManager()) {
                        NDArray x = all.get(new NDIndex(from + ":" + to));
                        x.attach(step);
                        NDArray out = block.forward(ps, new NDList(x), false).head();
                        int[] classes = out.argMax(1).toType(DataType.INT32, false).toIntArray();
                        seen += classes.length;
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (pass > 0) {
                    rates[pass - 1] = seen / seconds;
                }
            }
            return median(rates);
        }
    }

    /** Returns the microseconds of each timed single-picture prediction. */
    private static double[] predictLatencies(Path exported, MnistSplit test, int count)
            throws IOException {
        List<BufferedImage> pictures = new ArrayList<>();
        for (int i = 0; i < Math.min(count, test.count()); i++) {
            pictures.add(DigitImages.of(test, i));
        }
        try (DigitClassifier classifier = DigitClassifier.open(exported)) {
            for (int i = 0; i < count / 10; i++) {
                classifier.predict(pictures.get(i % pictures.size())); // warm-up
            }
            double[] micros = new double[count];
            for (int i = 0; i < count; i++) {
                BufferedImage picture = pictures.get(i % pictures.size());
                long start = System.nanoTime();
                classifier.predict(picture);
                micros[i] = (System.nanoTime() - start) / 1e3;
            }
            return micros;
        }
    }

    /** The median: the middle value, or the mean of the two middle values of an even count. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The nearest-rank percentile. */
    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
