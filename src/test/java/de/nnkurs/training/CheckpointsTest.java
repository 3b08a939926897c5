package de.nnkurs.training;

import de.nnkurs.run.TrainingRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.InvalidSettingException;
import de.nnkurs.Synthetic;
import de.nnkurs.data.InvalidDataException;
import de.nnkurs.data.MnistData;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.HiddenActivation;
import de.nnkurs.model.Variant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checkpoints after every epoch and {@code resumeFrom}: a resumed run takes exactly the steps the
 * uninterrupted run takes ({@link CheckpointsKillIT}: also after a SIGKILL in the middle of an
 * epoch).
 */
class CheckpointsTest {

    static final MnistData DATA = Synthetic.mnist(640, 50);
    static final Architecture NETWORK =
            new Architecture(List.of(16, 16), HiddenActivation.RELU, Variant.SLIDES);

    /** 3 epochs of 10 steps of 64, Adam. */
    static final TrainingSettings SETTINGS =
            TrainingSettings.builder()
                    .optEpochs(3)
                    .optBatchSize(64)
                    .optLearningRate(0.003)
                    .optSeed(7)
                    .optOptimizer(OptimizerKind.ADAM)
                    .build();

    @TempDir Path tmp;

    static List<Float> losses(TrainingRun run) throws IOException {
        try (TrainedModel trained = run.data(DATA).run(RunListener.NONE)) {
            assertFalse(trained.diverged());
            return trained.result().stepLosses();
        }
    }

    static TrainingRun run(TrainingSettings settings) {
        return TrainingRun.of(settings).architecture(NETWORK);
    }

    static void assertSameSteps(List<Float> expected, List<Float> actual) {
        assertEquals(expected.size(), actual.size(), "number of steps");
        for (int i = 0; i < expected.size(); i++) {
            // Bit for bit: the resumed run must be the same computation, not a close one.
            assertEquals(
                    Float.floatToIntBits(expected.get(i)),
                    Float.floatToIntBits(actual.get(i)),
                    "step " + (i + 1) + ": " + expected.get(i) + " vs " + actual.get(i));
        }
    }

    private void assertResumedRunEqualsUninterrupted(TrainingSettings settings, Architecture net)
            throws IOException {
        Path dir = tmp.resolve(settings.optimizer().label() + "-" + net.activation().label());
        List<Float> uninterrupted = losses(TrainingRun.of(settings).architecture(net));
        losses(
                TrainingRun.of(settings.toBuilder().optEpochs(1).build())
                        .architecture(net)
                        .checkpoints(dir));
        List<Float> resumed = losses(TrainingRun.of(settings).architecture(net).resumeFrom(dir));
        assertSameSteps(uninterrupted, resumed);
    }

    @Test
    void aCheckpointIsWrittenAfterEveryEpoch() throws IOException {
        Path dir = tmp.resolve("m.checkpoint");
        losses(run(SETTINGS).checkpoints(dir));
        Checkpoints.Saved saved = Checkpoints.read(dir);
        assertEquals(3, saved.epochsDone());
        assertEquals(List.of(1, 2, 3), saved.epochs().stream().map(EpochResult::epoch).toList());
        assertTrue(Checkpoints.isCheckpoint(dir));
    }

    @Test
    void adamResumesWithItsMomentsAndStepCount() throws IOException {
        assertResumedRunEqualsUninterrupted(SETTINGS, NETWORK);
    }

    @Test
    void momentumResumesWithItsVelocity() throws IOException {
        assertResumedRunEqualsUninterrupted(
                SETTINGS.toBuilder()
                        .optOptimizer(OptimizerKind.MOMENTUM)
                        .optLearningRate(0.05)
                        .build(),
                NETWORK);
    }

    @Test
    void sgdResumes() throws IOException {
        assertResumedRunEqualsUninterrupted(
                SETTINGS.toBuilder().optOptimizer(OptimizerKind.SGD).optLearningRate(0.05).build(),
                NETWORK);
    }

    @Test
    void rreluResumesWithTheSameRandomSlopes() throws IOException {
        assertResumedRunEqualsUninterrupted(
                SETTINGS, new Architecture(List.of(16), HiddenActivation.RRELU, Variant.SLIDES));
    }

    @Test
    void aResumedRunMayGoOnForMoreEpochs() throws IOException {
        Path dir = tmp.resolve("more.checkpoint");
        losses(run(SETTINGS.toBuilder().optEpochs(2).build()).checkpoints(dir));
        List<Float> four = losses(run(SETTINGS.toBuilder().optEpochs(4).build()));
        assertSameSteps(
                four, losses(run(SETTINGS.toBuilder().optEpochs(4).build()).resumeFrom(dir)));
    }

    @Test
    void anotherRunsCheckpointIsRefusedNamingTheDifference() throws IOException {
        Path dir = tmp.resolve("lr.checkpoint");
        losses(run(SETTINGS.toBuilder().optEpochs(1).build()).checkpoints(dir));
        TrainingRun other = run(SETTINGS.toBuilder().optLearningRate(0.01).build()).resumeFrom(dir);
        InvalidSettingException e = assertThrows(InvalidSettingException.class, other::check);
        assertEquals("resume", e.setting());
        assertTrue(e.getMessage().contains("lr 0.003, this one has 0.01"), e.getMessage());
    }

    @Test
    void fewerEpochsThanTheCheckpointHasAreRefused() throws IOException {
        Path dir = tmp.resolve("few.checkpoint");
        losses(run(SETTINGS.toBuilder().optEpochs(2).build()).checkpoints(dir));
        TrainingRun shorter = run(SETTINGS.toBuilder().optEpochs(1).build()).resumeFrom(dir);
        InvalidSettingException e = assertThrows(InvalidSettingException.class, shorter::check);
        assertEquals("epochs", e.setting());
    }

    @Test
    void djlAdamCannotResume() throws IOException {
        Path dir = tmp.resolve("djl.checkpoint");
        losses(run(SETTINGS.toBuilder().optEpochs(1).build()).checkpoints(dir));
        TrainingRun djl =
                run(SETTINGS.toBuilder().optOptimizer(OptimizerKind.DJL_ADAM).build())
                        .resumeFrom(dir);
        InvalidSettingException e = assertThrows(InvalidSettingException.class, djl::check);
        assertTrue(e.getMessage().contains("djl-adam cannot resume"), e.getMessage());
    }

    @Test
    void aDamagedOptimizerStateIsRefusedNamingTheFile() throws IOException {
        Path dir = tmp.resolve("bad.checkpoint");
        losses(run(SETTINGS.toBuilder().optEpochs(1).build()).checkpoints(dir));
        Path state = dir.resolve(Checkpoints.OPTIMIZER);
        byte[] bytes = Files.readAllBytes(state);
        Files.write(state, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        InvalidDataException e =
                assertThrows(
                        InvalidDataException.class, () -> losses(run(SETTINGS).resumeFrom(dir)));
        assertTrue(e.getMessage().startsWith(state.toString()), e.getMessage());
    }

    @Test
    void aFolderThatIsNotACheckpointIsNeitherReadNorReplaced() throws IOException {
        Path dir = tmp.resolve("notes");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("checkpoint.json"), "{}");
        Files.writeString(dir.resolve("notes.txt"), "mine");
        assertThrows(InvalidDataException.class, () -> Checkpoints.read(dir));
        InvalidSettingException refused =
                assertThrows(
                        InvalidSettingException.class,
                        () ->
                                losses(
                                        run(SETTINGS.toBuilder().optEpochs(1).build())
                                                .checkpoints(dir)));
        assertTrue(refused.getMessage().contains("notes.txt"), refused.getMessage());
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
        assertFalse(Checkpoints.delete(dir));
    }

    @Test
    void aDivergedEpochKeepsTheLastGoodCheckpoint() throws IOException {
        Path dir = tmp.resolve("nan.checkpoint");
        losses(run(SETTINGS.toBuilder().optEpochs(1).build()).checkpoints(dir));
        byte[] before = Files.readAllBytes(dir.resolve(Checkpoints.WEIGHTS));
        try (TrainedModel diverged =
                run(SETTINGS.toBuilder().optLearningRate(1e30).build())
                        .checkpoints(dir)
                        .keepDiverged()
                        .data(DATA)
                        .run(RunListener.NONE)) {
            assertTrue(diverged.diverged());
        }
        assertEquals(1, Checkpoints.read(dir).epochsDone());
        assertTrue(
                java.util.Arrays.equals(
                        before, Files.readAllBytes(dir.resolve(Checkpoints.WEIGHTS))));
    }

    @Test
    void anOptimizerStateOfAnotherRunIsRefusedBeforeTraining() throws IOException {
        Path mine = tmp.resolve("seed7.checkpoint");
        Path other = tmp.resolve("seed8.checkpoint");
        losses(run(SETTINGS.toBuilder().optEpochs(1).build()).checkpoints(mine));
        losses(run(SETTINGS.toBuilder().optEpochs(1).optSeed(8).build()).checkpoints(other));
        Path state = mine.resolve(Checkpoints.OPTIMIZER);
        Files.copy(
                other.resolve(Checkpoints.OPTIMIZER),
                state,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> run(SETTINGS).resumeFrom(mine));
        assertEquals(
                state
                        + ": is not the file this checkpoint wrote: its SHA-256 differs from the"
                        + " one checkpoint.json records (a file of another run, or a damaged one)",
                e.getMessage());
    }

    @Test
    void aCheckpointOfAnEarlierVersionWithoutFingerprintsIsResumedWithANotice() throws IOException {
        Path dir = tmp.resolve("old.checkpoint");
        losses(run(SETTINGS.toBuilder().optEpochs(1).build()).checkpoints(dir));
        Path meta = dir.resolve(Checkpoints.META);
        com.google.gson.JsonObject json =
                com.google.gson.JsonParser.parseString(Files.readString(meta)).getAsJsonObject();
        json.remove("sha256");
        Files.writeString(meta, json.toString());
        List<String> notices = new ArrayList<>();
        de.nnkurs.io.AtomicDirectory.setNotices(notices::add);
        try {
            assertEquals(1, Checkpoints.read(dir).epochs().size());
        } finally {
            de.nnkurs.io.AtomicDirectory.setNotices(line -> System.err.println("nnkurs: " + line));
        }
        assertEquals(
                List.of(
                        meta
                                + ": written by an earlier nnkurs, which recorded no sha256 of its"
                                + " files; they are not checked against each other"),
                notices);
    }

    @Test
    void accuraciesOutsideZeroToOneOrNaNAreRefused() throws IOException {
        Path dir = tmp.resolve("acc.checkpoint");
        losses(run(SETTINGS.toBuilder().optEpochs(1).build()).checkpoints(dir));
        Path meta = dir.resolve(Checkpoints.META);
        String json = Files.readString(meta);
        for (String bad : new String[] {"7.5", "NaN", "-0.1"}) {
            Files.writeString(
                    meta, json.replaceAll("\"testAccuracy\":[^,}]+", "\"testAccuracy\":" + bad));
            InvalidDataException e =
                    assertThrows(InvalidDataException.class, () -> Checkpoints.read(dir));
            assertEquals(
                    meta
                            + ": epoch 1's testAccuracy is "
                            + Double.parseDouble(bad)
                            + ", not a fraction from 0 to 1: a damaged checkpoint",
                    e.getMessage());
        }
    }

    @Test
    void aStepCountThatIsNotEpochsTimesStepsIsADamagedCheckpointNotADivergence()
            throws IOException {
        Path dir = tmp.resolve("step.checkpoint");
        losses(run(SETTINGS.toBuilder().optEpochs(1).build()).checkpoints(dir));
        tamper(dir, "0.weight.step", m -> m.create((long) Integer.MAX_VALUE));
        InvalidDataException e =
                assertThrows(
                        InvalidDataException.class, () -> losses(run(SETTINGS).resumeFrom(dir)));
        assertEquals(
                dir.resolve(Checkpoints.OPTIMIZER)
                        + ": 0.weight.step is 2147483647, but 1 epoch(s) of 10 steps make 10: a"
                        + " damaged checkpoint",
                e.getMessage());
    }

    @Test
    void aNegativeMeanOfSquaresIsADamagedCheckpointNotADivergence() throws IOException {
        Path dir = tmp.resolve("sq.checkpoint");
        losses(run(SETTINGS.toBuilder().optEpochs(1).build()).checkpoints(dir));
        tamper(dir, "2.bias.exp_avg_sq", m -> m.full(new ai.djl.ndarray.types.Shape(16), -1f));
        InvalidDataException e =
                assertThrows(
                        InvalidDataException.class, () -> losses(run(SETTINGS).resumeFrom(dir)));
        assertEquals(
                dir.resolve(Checkpoints.OPTIMIZER)
                        + ": 2.bias: exp_avg_sq holds a negative value, which a mean of squares"
                        + " never is: a damaged checkpoint",
                e.getMessage());
    }

    /**
     * Replaces one array of the optimizer's state and records the new file's SHA-256, as a tamperer
     * who knows the format would: the arrays themselves must then be checked.
     */
    private static void tamper(
            Path dir,
            String name,
            java.util.function.Function<ai.djl.ndarray.NDManager, ai.djl.ndarray.NDArray> value)
            throws IOException {
        Path file = dir.resolve(Checkpoints.OPTIMIZER);
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            java.util.Map<String, ai.djl.ndarray.NDArray> state =
                    new java.util.LinkedHashMap<>(de.nnkurs.model.StateDict.read(file, m));
            assertTrue(state.containsKey(name), state.keySet().toString());
            state.put(name, value.apply(m));
            Files.delete(file);
            de.nnkurs.model.StateDict.write(file, state);
        }
        Path meta = dir.resolve(Checkpoints.META);
        com.google.gson.JsonObject json =
                com.google.gson.JsonParser.parseString(Files.readString(meta)).getAsJsonObject();
        if (json.has(Checkpoints.SHA256)) {
            json.getAsJsonObject(Checkpoints.SHA256)
                    .addProperty(Checkpoints.OPTIMIZER, Checkpoints.sha256(file));
        }
        Files.writeString(meta, json.toString());
    }
}
