package de.nnkurs.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;

import de.nnkurs.InvalidSettingException;
import de.nnkurs.Lesson;
import de.nnkurs.Synthetic;
import de.nnkurs.data.MnistData;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.HiddenActivation;
import de.nnkurs.data.InvalidDataException;
import de.nnkurs.model.EngineThreads;
import de.nnkurs.model.Variant;
import de.nnkurs.training.LossKind;
import de.nnkurs.training.OptimizerKind;
import de.nnkurs.training.RunListener;
import de.nnkurs.training.TrainedModel;
import de.nnkurs.training.TrainingSettings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The library's entry point for a whole run: checks first, then build, initialise, train. */
class TrainingRunTest {

    private static final MnistData DATA = Synthetic.mnist(600, 100);

    @TempDir Path tmp;

    private static TrainingSettings twoSteps(OptimizerKind optimizer) {
        return TrainingSettings.builder()
                .optEpochs(1)
                .optBatchSize(64)
                .optLearningRate(Lesson.LEARNING_RATE)
                .optSeed(3)
                .optMaxBatches(2)
                .optOptimizer(optimizer)
                .build();
    }

    @Test
    void aRunTrainsTheGivenNetworkAndReportsWhatWentIn() throws IOException {
        Architecture small = new Architecture(List.of(16), HiddenActivation.TANH, Variant.LOGITS);
        TrainingRun run =
                TrainingRun.of(twoSteps(OptimizerKind.ADAM)).architecture(small).data(DATA);
        try (TrainedModel trained = run.run(RunListener.NONE)) {
            assertEquals(small, trained.architecture());
            assertEquals(twoSteps(OptimizerKind.ADAM), trained.settings());
            assertEquals(2, trained.result().stepLosses().size());
            assertEquals(DATA.test().count(), trained.predict(DATA.test()).length);
            assertEquals(784 * 16 + 16 + 16 * 10 + 10, parameterCount(trained));
        }
    }

    @Test
    void theSameSettingsGiveTheSameRun() throws IOException {
        List<Float> first;
        try (TrainedModel t =
                TrainingRun.of(twoSteps(OptimizerKind.ADAM)).data(DATA).run(RunListener.NONE)) {
            first = t.result().stepLosses();
        }
        try (TrainedModel t =
                TrainingRun.of(twoSteps(OptimizerKind.ADAM)).data(DATA).run(RunListener.NONE)) {
            assertEquals(first, t.result().stepLosses());
        }
    }

    @Test
    void savedInitialWeightsAndOrderReplayTheRunExactly() throws IOException {
        Path init = tmp.resolve("init.npz");
        Path order = tmp.resolve("order.npz");
        TrainingSettings settings = twoSteps(OptimizerKind.ADAM);
        List<Float> original;
        try (TrainedModel t =
                TrainingRun.of(settings)
                        .data(DATA)
                        .saveInitialWeights(init)
                        .saveOrder(order)
                        .run(RunListener.NONE)) {
            original = t.result().stepLosses();
        }
        // Another seed: only the files decide the start and the batches.
        try (TrainedModel t =
                TrainingRun.of(settings.toBuilder().optSeed(77).build())
                        .data(DATA)
                        .initialWeights(init)
                        .order(order)
                        .run(RunListener.NONE)) {
            assertEquals(original, t.result().stepLosses());
        }
    }

    @Test
    void beforeTrainingChangesTheInitialisedWeightsBeforeTheFirstStep() throws IOException {
        float[] seen = new float[1];
        RunListener firstBias =
                new RunListener() {
                    @Override
                    public void onTrainingBegin(ai.djl.Model model) {
                        Parameter b = model.getBlock().getParameters().get(1).getValue();
                        seen[0] = b.getArray().getFloat(0);
                    }
                };
        TrainingRun run =
                TrainingRun.of(twoSteps(OptimizerKind.SGD))
                        .data(DATA)
                        .beforeTraining(
                                block ->
                                        block.getParameters()
                                                .get(1)
                                                .getValue()
                                                .getArray()
                                                .set(new NDIndex("..."), -3f));
        try (TrainedModel t = run.run(firstBias)) {
            assertEquals(-3f, seen[0]);
        }
    }

    @Test
    void slideCrossEntropyNeedsTheFinalSoftmax() {
        TrainingRun run =
                TrainingRun.of(TrainingSettings.builder().optLoss(LossKind.SLIDE_CE).build())
                        .architecture(Architecture.lesson(Variant.LOGITS));
        InvalidSettingException e = assertThrows(InvalidSettingException.class, run::check);
        assertEquals("loss", e.setting());
    }

    @Test
    void fullBatchGradientDescentTakesNoBatchLimitOrOrder() throws IOException {
        TrainingRun limited = TrainingRun.of(twoSteps(OptimizerKind.GD));
        assertEquals(
                "optimizer", assertThrows(InvalidSettingException.class, limited::check).setting());
        Path order = Files.createFile(tmp.resolve("order.npz"));
        TrainingRun ordered =
                TrainingRun.of(twoSteps(OptimizerKind.GD).toBuilder().optMaxBatches(0).build())
                        .order(order);
        assertEquals(
                "optimizer", assertThrows(InvalidSettingException.class, ordered::check).setting());
    }

    @Test
    void anOrderCannotBeReadAndWrittenInOneRun() throws IOException {
        Path order = Files.createFile(tmp.resolve("order.npz"));
        TrainingRun run = TrainingRun.lesson().order(order).saveOrder(tmp.resolve("new.npz"));
        assertEquals("order", assertThrows(InvalidSettingException.class, run::check).setting());
    }

    @Test
    void filesAreCheckedWhenTheyAreNamedNotAfterTraining() {
        InvalidSettingException missing =
                assertThrows(
                        InvalidSettingException.class,
                        () -> TrainingRun.lesson().initialWeights(tmp.resolve("none.npz")));
        assertEquals("init " + tmp.resolve("none.npz") + ": no such file", missing.getMessage());
        InvalidSettingException format =
                assertThrows(
                        InvalidSettingException.class,
                        () -> TrainingRun.lesson().saveInitialWeights(tmp.resolve("w.pt")));
        assertTrue(format.getMessage().endsWith("weights files end in .npz or .safetensors"));
        assertEquals(
                "save-order",
                assertThrows(
                                InvalidSettingException.class,
                                () -> TrainingRun.lesson().saveOrder(tmp.resolve("o.json")))
                        .setting());
    }

    @Test
    void aRunWithoutDataSaysSo() {
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () -> TrainingRun.lesson().run(RunListener.NONE));
        assertTrue(e.getMessage().contains("data(mnist)"), e.getMessage());
    }

    private static long parameterCount(TrainedModel trained) {
        long n = 0;
        for (Parameter p : trained.block().getParameters().values()) {
            n += p.getArray().size();
        }
        return n;
    }

    /** Collects a run's notes, as a front end prints them. */
    private static final class Notes implements RunListener {
        final List<String> lines = new java.util.ArrayList<>();

        @Override
        public void onNote(String line) {
            lines.add(line);
        }
    }

    @Test
    void aRunWithAModelFolderSavesItExportsItAndLeavesNoCheckpoint() throws IOException {
        Path dir = tmp.resolve("models").resolve("mnist");
        Notes notes = new Notes();
        try (TrainedModel trained =
                TrainingRun.of(twoSteps(OptimizerKind.ADAM))
                        .data(DATA)
                        .saveTo(dir)
                        .exportForServing()
                        .run(notes)) {
            assertEquals(2, trained.result().stepLosses().size());
        }
        assertTrue(Files.isRegularFile(dir.resolve("metadata.json")));
        assertTrue(Files.isRegularFile(tmp.resolve("models/serving/mnist/serving.properties")));
        assertTrue(Files.isRegularFile(tmp.resolve("models/serving-zip/mnist.zip")));
        assertFalse(Files.exists(tmp.resolve("models/mnist.checkpoint")));
        assertTrue(
                notes.lines
                        .get(0)
                        .startsWith(
                                "Training 784-64-64-64-10 (relu, final Softmax) on 600 images, 1"
                                        + " epoch(s), batch size 64, adam lr 0.003, seed 3"),
                notes.lines.toString());
        assertTrue(notes.lines.contains("Saved " + dir), notes.lines.toString());
    }

    @Test
    void aDivergedRunIsRefusedAndTheModelThereStays() throws IOException {
        Path dir = tmp.resolve("m");
        try (TrainedModel t =
                TrainingRun.of(twoSteps(OptimizerKind.SGD))
                        .data(DATA)
                        .saveTo(dir)
                        .run(RunListener.NONE)) {
            assertFalse(t.diverged());
        }
        byte[] before = Files.readAllBytes(dir.resolve("metadata.json"));
        TrainingRun huge =
                TrainingRun.of(
                                twoSteps(OptimizerKind.SGD).toBuilder()
                                        .optLearningRate(1e30)
                                        .build())
                        .data(DATA)
                        .saveTo(dir);
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> huge.run(RunListener.NONE));
        assertTrue(
                e.getMessage().startsWith(dir + ": not saved: the loss diverged at epoch 1, step "),
                e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("metadata.json")));
    }

    @Test
    void aDivergedRunThatSavesNothingIsRefusedToo() {
        TrainingRun huge =
                TrainingRun.of(
                                twoSteps(OptimizerKind.SGD).toBuilder()
                                        .optLearningRate(1e30)
                                        .build())
                        .data(DATA);
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> huge.run(RunListener.NONE));
        assertTrue(
                e.getMessage().startsWith("the run: not saved: the loss diverged"), e.getMessage());
    }

    @Test
    void resumingOrExportingWithoutAModelFolderIsRefusedNamingTheSetting() {
        InvalidSettingException resume =
                assertThrows(
                        InvalidSettingException.class, () -> TrainingRun.lesson().resume().check());
        assertEquals("resume", resume.setting());
        InvalidSettingException export =
                assertThrows(
                        InvalidSettingException.class,
                        () -> TrainingRun.lesson().exportForServing().check());
        assertEquals("export", export.setting());
    }

    @Test
    void exportingUnderANameThatWouldInjectServingSettingsIsRefusedBeforeTraining() {
        Path dir = tmp.resolve("k2\nengine=OnnxRuntime");
        InvalidSettingException e =
                assertThrows(
                        InvalidSettingException.class,
                        () -> TrainingRun.lesson().saveTo(dir).exportForServing().check());
        assertEquals("output", e.setting());
        assertEquals(
                "output \""
                        + tmp
                        + "/k2\\u000aengine=OnnxRuntime\": the folder's name cannot name a"
                        + " served model: use letters, digits, '.', '_' and '-', starting with a"
                        + " letter or digit",
                e.getMessage());
        assertFalse(Files.exists(dir));
    }

    @Test
    void resumingWithoutACheckpointIsRefusedNamingTheFolder() {
        Path dir = tmp.resolve("mnist");
        InvalidSettingException e =
                assertThrows(
                        InvalidSettingException.class,
                        () -> TrainingRun.lesson().saveTo(dir).resume().check());
        assertEquals("resume", e.setting());
        assertTrue(e.getMessage().contains("mnist.checkpoint: no checkpoint here"), e.getMessage());
    }

    @Test
    void aThreadCountOutside1To256IsRefusedNamingThreads() {
        for (int n : new int[] {0, -1, 257}) {
            InvalidSettingException e =
                    assertThrows(
                            InvalidSettingException.class, () -> TrainingRun.lesson().threads(n));
            assertEquals("threads", e.setting());
        }
    }

    @Test
    void aRunOnAGivenThreadCountGivesTheSameStepsAndRestoresTheCountAfter() throws IOException {
        List<Float> chosen;
        try (TrainedModel t =
                TrainingRun.of(twoSteps(OptimizerKind.ADAM)).data(DATA).run(RunListener.NONE)) {
            chosen = t.result().stepLosses();
        }
        int before = EngineThreads.use(1);
        try (TrainedModel t =
                TrainingRun.of(twoSteps(OptimizerKind.ADAM))
                        .data(DATA)
                        .threads(2)
                        .run(RunListener.NONE)) {
            // The first loss is the same forward pass from the same weights, up to float rounding.
            assertEquals(chosen.size(), t.result().stepLosses().size());
            assertEquals(chosen.get(0), t.result().stepLosses().get(0), 1e-6);
        }
        assertEquals(1, EngineThreads.use(before), "the run restores the count it found");
    }

    @Test
    void theSlidesNetworkTrainsOnOneThreadAndAWideOneOnEveryCore() {
        String fixed = System.clearProperty(EngineThreads.PROPERTY); // surefire fixes 1
        try {
            // 59,210 weights, below the lesson's 500,000: one thread
            // (Lesson.ONE_THREAD_BELOW_WEIGHTS).
            assertEquals(1, EngineThreads.chosenFor(Architecture.lesson(Variant.SLIDES)));
            // 784·1024 + 1024 + 1024·1024 + 1024 + 1024·10 + 10 = 1,863,690 weights: every core.
            Architecture wide =
                    new Architecture(List.of(1024, 1024), HiddenActivation.RELU, Variant.SLIDES);
            assertEquals(Runtime.getRuntime().availableProcessors(), EngineThreads.chosenFor(wide));
            System.setProperty(EngineThreads.PROPERTY, "3");
            assertEquals(3, EngineThreads.chosenFor(wide), "a count the user fixed wins");
        } finally {
            if (fixed == null) {
                System.clearProperty(EngineThreads.PROPERTY);
            } else {
                System.setProperty(EngineThreads.PROPERTY, fixed);
            }
        }
    }

    @Test
    void aFolderAtARecordOrOrderPathIsRefusedWhenNamedNotAfterTraining() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("record.json"));
        InvalidSettingException record =
                assertThrows(
                        InvalidSettingException.class,
                        () -> TrainingRun.lesson().saveRecord(folder));
        assertEquals(
                "save-record " + folder + ": is a folder; name the file to write",
                record.getMessage());
        Path orders = Files.createDirectories(tmp.resolve("o.npz"));
        assertEquals(
                "save-order",
                assertThrows(
                                InvalidSettingException.class,
                                () -> TrainingRun.lesson().saveOrder(orders))
                        .setting());
    }

    @Test
    void aRecordThatCannotBeWrittenAfterTrainingLosesNotTheModelAndNamesTheRecord()
            throws IOException {
        Path dir = tmp.resolve("models").resolve("mnist");
        Path records = Files.createDirectories(tmp.resolve("records"));
        Path record = records.resolve("run.json");
        RunListener spoil =
                new RunListener() {
                    @Override
                    public void onEpoch(de.nnkurs.training.EpochResult result) {
                        // During the run the record's folder turns into a file, as a disk
                        // that fills up does: nothing can be written there any more.
                        try {
                            Files.delete(records);
                            Files.writeString(records, "in the way");
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                };
        TrainingRun run =
                TrainingRun.of(twoSteps(OptimizerKind.ADAM))
                        .data(DATA)
                        .saveTo(dir)
                        .saveRecord(record);
        IOException e = assertThrows(IOException.class, () -> run.run(spoil).close());
        assertTrue(e.getMessage().startsWith(record + ": "), e.getMessage());
        assertFalse(e.getMessage().contains(".partial"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; the model is saved in " + dir), e.getMessage());
        assertTrue(Files.isRegularFile(dir.resolve("metadata.json")), "the model is saved");
        assertFalse(Files.exists(tmp.resolve("models/mnist.checkpoint")));
    }

    @Test
    void anOrderFileOfMoreEpochsThanItCanHoldIsRefusedBeforeTraining() {
        TrainingRun run =
                TrainingRun.of(TrainingSettings.builder().optEpochs(40_000).build())
                        .data(DATA)
                        .saveOrder(tmp.resolve("o.npz"));
        InvalidSettingException e = assertThrows(InvalidSettingException.class, run::check);
        assertEquals("save-order", e.setting());
        assertTrue(e.getMessage().contains("40000 epochs of 600 examples"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("o.npz")));
    }
}
