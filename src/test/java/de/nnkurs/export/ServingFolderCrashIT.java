package de.nnkurs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.PausedChild;
import de.nnkurs.Synthetic;
import de.nnkurs.io.AtomicDirectory;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.HiddenActivation;
import de.nnkurs.model.Variant;
import de.nnkurs.training.TrainedModel;
import de.nnkurs.training.RunListener;
import de.nnkurs.run.TrainingRun;
import de.nnkurs.training.TrainingSettings;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * An export killed (SIGKILL) at each of its steps: the folder and the zip never disagree (the zip
 * is either missing or holds exactly the folder's files), the model store holds model folders only,
 * and the next export repairs what was left and says so.
 */
class ServingFolderCrashIT {

    @TempDir Path tmp;

    private final List<String> notices = new ArrayList<>();

    @AfterEach
    void defaultNotices() {
        AtomicDirectory.setNotices(line -> System.err.println("nnkurs: " + line));
    }

    private Path trained(long seed) throws IOException {
        Path dir = tmp.resolve("mnist");
        TrainingSettings settings =
                TrainingSettings.builder()
                        .optEpochs(1)
                        .optBatchSize(64)
                        .optLearningRate(0.003)
                        .optSeed(seed)
                        .optMaxBatches(2)
                        .optOptimizer(de.nnkurs.training.OptimizerKind.ADAM)
                        .build();
        try (TrainedModel model =
                TrainingRun.of(settings)
                        .architecture(
                                new Architecture(
                                        List.of(16), HiddenActivation.RELU, Variant.SLIDES))
                        .data(Synthetic.mnist(256, 20))
                        .run(RunListener.NONE)) {
            ModelFolder.save(model, dir);
        }
        return dir;
    }

    private static void assertFolderAndZipAgree(Path folder) throws IOException {
        Path zip = ServingFolder.zipFor(folder);
        if (!Files.isDirectory(folder)) {
            assertFalse(Files.exists(zip), "no folder, so no zip either");
        } else if (Files.exists(zip)) {
            assertTrue(ServingLoader.sameContent(zip, folder), zip + " differs from " + folder);
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"written", "moved-aside", "replaced", "zip-pending"})
    void anExportKilledAtAnyStepLeavesFolderAndZipInAgreement(String step) throws Exception {
        Path root = tmp.resolve("serving");
        Path folder = root.resolve("mnist");
        ServingFolder.export(trained(1), root);
        byte[] oldWeights = Files.readAllBytes(folder.resolve("mnist-0001.params"));
        Path model = trained(2); // new weights for the export that is killed

        try (PausedChild child =
                PausedChild.start(
                        "paused at " + step,
                        List.of("nnkurs.test.pause-at=" + step),
                        ExportChild.class,
                        model.toString(),
                        root.toString())) {
            // killed (SIGKILL) at the step when this block ends
        }
        assertFolderAndZipAgree(folder);
        assertEquals(
                Files.isDirectory(folder) ? List.of("mnist") : List.of(),
                names(root),
                "the model store holds model folders only");

        AtomicDirectory.setNotices(notices::add);
        ServingFolder.export(model, root);
        assertFolderAndZipAgree(folder);
        assertTrue(Files.exists(ServingFolder.zipFor(folder)));
        assertFalse(
                java.util.Arrays.equals(
                        oldWeights, Files.readAllBytes(folder.resolve("mnist-0001.params"))),
                "the new weights are exported");
        assertEquals(List.of("mnist"), names(root));
        if (!step.equals("written")) {
            assertFalse(notices.isEmpty(), "the repair is reported");
        }
    }
}
