package de.nnkurs;

import de.nnkurs.data.MnistData;
import de.nnkurs.export.ModelFolder;
import de.nnkurs.export.ServingFolder;
import de.nnkurs.training.TrainedModel;
import de.nnkurs.training.RunListener;
import de.nnkurs.run.TrainingRun;
import de.nnkurs.training.TrainingSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A model trained briefly on the {@link MnistSlice} and exported for DJL Serving, once per test
 * JVM.
 */
public final class ExportedMnist {

    /** Where the trained model goes. */
    public static final Path TRAINED = Path.of("target", "test-models", "mnist");

    /** Where the export goes. */
    public static final Path SERVING = Path.of("target", "test-models", "serving");

    private static boolean ready;

    private ExportedMnist() {}

    /**
     * Trains the lesson's model on the slice (1 epoch of 188 steps of 32, seed 1; well under a
     * second) and exports it, unless done earlier in this JVM. One epoch, so the export holds
     * {@code mnist-0001.params}. Its accuracy on the slice's 1,000 test images was 0.689 here
     * (0.58–0.79 over seeds 1–5); {@code MnistSliceTest} checks it is far above chance.
     */
    public static synchronized Path folder() throws IOException {
        if (!ready) {
            MnistData mnist = MnistSlice.load();
            TrainingSettings settings =
                    TrainingSettings.builder().optEpochs(1).optBatchSize(32).optSeed(1).build();
            try (TrainedModel trained =
                    TrainingRun.of(settings).data(mnist).run(RunListener.NONE)) {
                Files.createDirectories(TRAINED.getParent());
                ModelFolder.save(trained, TRAINED);
            }
            ServingFolder.export(TRAINED, SERVING);
            ready = true;
        }
        return SERVING.resolve("mnist");
    }

    /** Returns the zip written beside the model store. */
    public static Path zip() throws IOException {
        return ServingFolder.zipFor(folder());
    }

    /** Lists a folder's file names, sorted, without the writers' lock files. */
    public static List<String> files(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.endsWith(".lock"))
                    .sorted()
                    .toList();
        }
    }
}
