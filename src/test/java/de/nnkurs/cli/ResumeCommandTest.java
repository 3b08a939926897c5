package de.nnkurs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.data.MnistData;
import de.nnkurs.training.Checkpoints;
import de.nnkurs.training.EpochResult;
import de.nnkurs.training.TrainedModel;
import de.nnkurs.training.RunListener;
import de.nnkurs.run.TrainingRun;
import de.nnkurs.training.TrainingSettings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code train --resume} and the checkpoint beside the output folder. */
class ResumeCommandTest extends CommandLineTest {

    @TempDir Path tmp;

    private List<String> train(Path model, String... more) throws IOException {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "train",
                                "--epochs",
                                "2",
                                "--max-batches",
                                "3",
                                "--data-dir",
                                tinyData(tmp).toString(),
                                "--output",
                                model.toString()));
        args.addAll(List.of(more));
        return args;
    }

    /** Leaves the checkpoint of a run with {@link #train}'s options killed after epoch 1. */
    private void checkpointAfterOneEpoch(Path model) throws IOException {
        MnistData data = MnistData.load(tinyData(tmp));
        TrainingRun run =
                TrainingRun.of(TrainingSettings.builder().optEpochs(1).optMaxBatches(3).build())
                        .checkpoints(Checkpoints.beside(model))
                        .data(data);
        try (TrainedModel trained = run.run(RunListener.NONE)) {
            assertFalse(trained.diverged());
        }
    }

    @Test
    void resumingWithoutACheckpointIsAUsageErrorNamingTheFolder() throws IOException {
        Path model = tmp.resolve("m");
        assertEquals(2, run(train(model, "--resume").toArray(String[]::new)));
        assertOneLineError("--resume " + Checkpoints.beside(model) + ": no checkpoint here");
    }

    @Test
    void aCompleteRunRemovesItsCheckpoint() throws IOException {
        Path model = tmp.resolve("m");
        assertEquals(0, run(train(model).toArray(String[]::new)), err.toString());
        assertTrue(Files.isDirectory(model));
        assertFalse(Files.exists(Checkpoints.beside(model)));
    }

    @Test
    void aRunResumesAfterItsLastEpochAndSaves() throws IOException {
        Path model = tmp.resolve("m");
        Path checkpoint = Checkpoints.beside(model);
        checkpointAfterOneEpoch(model);
        assertEquals(0, run(train(model, "--resume").toArray(String[]::new)), err.toString());
        String printed = out.toString();
        assertTrue(
                printed.contains("Resuming from " + checkpoint + " after epoch 1 of 2"), printed);
        assertTrue(printed.contains("Test accuracy after 2 epoch(s)"), printed);
        assertFalse(Files.exists(checkpoint), "removed once the model is saved");
    }

    @Test
    void resumingWithOtherOptionsSaysWhichOneDiffers() throws IOException {
        Path model = tmp.resolve("m");
        checkpointAfterOneEpoch(model);
        assertEquals(2, run(train(model, "--resume", "--lr", "0.01").toArray(String[]::new)));
        assertOneLineError("lr 0.003, this one has 0.01");
    }

    @Test
    void aFreshRunNotesTheCheckpointItWillReplace() throws IOException {
        Path model = tmp.resolve("m");
        checkpointAfterOneEpoch(model);
        assertEquals(0, run(train(model).toArray(String[]::new)), err.toString());
        assertTrue(
                out.toString().contains("holds an interrupted run's checkpoint"), out.toString());
    }

    @Test
    void resumeWithDryRunIsRefusedNamingTheFlagsTheUserTyped() throws IOException {
        Path model = tmp.resolve("m");
        checkpointAfterOneEpoch(model);
        assertEquals(2, run(train(model, "--resume", "--dry-run").toArray(String[]::new)));
        assertOneLineError("--dry-run does not combine with --resume");
        assertFalse(err.toString().contains("max-batches"), err.toString());
        assertTrue(Checkpoints.isCheckpoint(Checkpoints.beside(model)), "the checkpoint stays");
    }

    @Test
    void resumeWithInitIsRefusedInsteadOfIgnoringTheWeights() throws IOException {
        Path model = tmp.resolve("m");
        checkpointAfterOneEpoch(model);
        Path init = tmp.resolve("init.npz");
        Files.write(init, new byte[] {1});
        assertEquals(
                2, run(train(model, "--resume", "--init", init.toString()).toArray(String[]::new)));
        assertOneLineError("--init " + init + ": a resumed run continues from the weights of");
        assertTrue(out.toString().isEmpty(), "nothing trained: " + out);
        assertTrue(Checkpoints.isCheckpoint(Checkpoints.beside(model)), "the checkpoint stays");
    }

    /** Leaves the checkpoint of a 10-epoch run (max-batches 3) interrupted after epoch 2. */
    private void checkpointOfATenEpochRunAfterTwoEpochs(Path model) throws IOException {
        MnistData data = MnistData.load(tinyData(tmp));
        TrainingRun run =
                TrainingRun.of(TrainingSettings.builder().optEpochs(10).optMaxBatches(3).build())
                        .checkpoints(Checkpoints.beside(model))
                        .data(data);
        RunListener interrupt =
                new RunListener() {
                    @Override
                    public void onEpoch(EpochResult result) {
                        if (result.epoch() == 3) {
                            throw new IllegalStateException("interrupted");
                        }
                    }
                };
        assertThrows(IllegalStateException.class, () -> run.run(interrupt).close());
    }

    @Test
    void resumingATenEpochRunWithFewerEpochsIsRefusedAndKeepsItsCheckpoint() throws IOException {
        Path model = tmp.resolve("m");
        Path checkpoint = Checkpoints.beside(model);
        checkpointOfATenEpochRunAfterTwoEpochs(model);
        assertEquals(2, Checkpoints.read(checkpoint).epochsDone());
        assertEquals(2, run(train(model, "--resume").toArray(String[]::new)));
        assertOneLineError(
                "--epochs is 2, but "
                        + checkpoint
                        + " is the checkpoint of a 10-epoch run: give 10 or more");
        assertTrue(Checkpoints.isCheckpoint(checkpoint), "the checkpoint stays");
        assertFalse(Files.exists(model), "nothing saved");
    }

    @Test
    void aForeignFileInTheCheckpointFolderIsNamedBeforeTraining() throws IOException {
        Path model = tmp.resolve("m");
        Path checkpoint = Checkpoints.beside(model);
        Files.createDirectories(checkpoint);
        Files.writeString(checkpoint.resolve(".DS_Store"), "finder");
        assertEquals(2, run(train(model).toArray(String[]::new)));
        assertOneLineError("--output " + checkpoint + ": exists and is not a checkpoint folder");
        assertTrue(err.toString().contains(".DS_Store"), err.toString());
        assertTrue(out.toString().isEmpty(), "nothing trained: " + out);
        assertTrue(Files.exists(checkpoint.resolve(".DS_Store")), "left alone");
    }

    @Test
    void aFileOrASymbolicLinkAtTheCheckpointPathIsNamedBeforeTraining() throws IOException {
        Path model = tmp.resolve("m");
        Path checkpoint = Checkpoints.beside(model);
        Files.writeString(checkpoint, "notes");
        assertEquals(2, run(train(model).toArray(String[]::new)));
        assertOneLineError("--output " + checkpoint + ": exists and is not a folder");
        assertTrue(out.toString().isEmpty(), "nothing trained: " + out);

        Files.delete(checkpoint);
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(checkpoint, elsewhere);
        err.getBuffer().setLength(0);
        assertEquals(2, run(train(model).toArray(String[]::new)));
        assertOneLineError("--output " + checkpoint + ": is a symbolic link");
        assertTrue(Files.isSymbolicLink(checkpoint), "left alone");
        assertTrue(out.toString().isEmpty(), "nothing trained: " + out);
    }

    @Test
    void resumingFromAFolderWithAForeignFileNamesIt() throws IOException {
        Path model = tmp.resolve("m");
        Path checkpoint = Checkpoints.beside(model);
        checkpointAfterOneEpoch(model);
        Files.writeString(checkpoint.resolve(".DS_Store"), "finder");
        assertEquals(2, run(train(model, "--resume").toArray(String[]::new)));
        assertOneLineError(checkpoint + ": holds .DS_Store, so not a checkpoint folder");
    }
}
