package de.nnkurs;

import ai.djl.Model;

import de.nnkurs.data.Mnist;
import de.nnkurs.export.ModelMetadata;
import de.nnkurs.export.SavedModel;
import de.nnkurs.export.ServingExport;
import de.nnkurs.model.Models;
import de.nnkurs.model.Variant;
import de.nnkurs.training.OptimizerKind;
import de.nnkurs.training.TrainingListener;
import de.nnkurs.training.TrainingLoop;
import de.nnkurs.training.TrainingResult;
import de.nnkurs.training.TrainingSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A model trained briefly on the real MNIST and exported for DJL Serving, once per test JVM. */
public final class ExportedMnist {

    /** Where the trained model goes. */
    public static final Path TRAINED = Path.of("target", "test-models", "mnist");

    /** Where the export goes. */
    public static final Path SERVING = Path.of("target", "test-models", "serving");

    private static boolean ready;

    private ExportedMnist() {}

    /** Trains (1 epoch of 100 steps, seed 1) and exports, unless done earlier in this JVM. */
    public static synchronized Path folder() throws IOException {
        if (!ready) {
            Mnist mnist = RealMnist.load();
            TrainingSettings settings =
                    new TrainingSettings(
                            1, Lesson.BATCH_SIZE, Lesson.LEARNING_RATE, 1, 100, OptimizerKind.ADAM);
            try (Model model = Model.newInstance("mnist")) {
                model.setBlock(Models.sequential(Variant.SLIDES));
                TrainingResult r =
                        TrainingLoop.train(model, mnist, settings, new TrainingListener() {});
                Files.createDirectories(TRAINED.getParent());
                SavedModel.save(
                        model,
                        TRAINED,
                        new ModelMetadata(
                                "mnist",
                                "slides",
                                Lesson.architecture(),
                                "relu",
                                1,
                                256,
                                0.003,
                                1,
                                "adam",
                                "cross-entropy",
                                r.finalAccuracy(),
                                r.epochs(),
                                Map.of(),
                                "0.36.0",
                                "PyTorch 2.7.1",
                                "test"));
            }
            ServingExport.export(TRAINED, SERVING);
            ready = true;
        }
        return SERVING.resolve("mnist");
    }

    /** Returns the zip written beside the folder. */
    public static Path zip() throws IOException {
        folder();
        return SERVING.resolve("mnist.zip");
    }

    /** Lists a folder's file names, sorted. */
    public static List<String> files(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
