package de.nnkurs.training;

import static de.nnkurs.training.CheckpointsTest.SETTINGS;
import static de.nnkurs.training.CheckpointsTest.assertSameSteps;
import static de.nnkurs.training.CheckpointsTest.losses;
import static de.nnkurs.training.CheckpointsTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.PausedChild;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A run killed (SIGKILL) in a child JVM in the middle of an epoch resumes from its checkpoint with
 * exactly the steps of the uninterrupted run ({@link CheckpointsTest}'s network, data and
 * settings).
 */
class CheckpointsKillIT {

    @TempDir Path tmp;

    @Test
    void aRunKilledMidEpochResumesWithTheStepsItWouldHaveTaken() throws Exception {
        Path dir = tmp.resolve("killed.checkpoint");
        try (PausedChild child =
                PausedChild.start(
                        "paused at epoch 2 step 4",
                        List.of(),
                        TrainChild.class,
                        dir.toString(),
                        "2",
                        "4")) {
            // While it trains, no second run may write its checkpoints.
            IOException busy =
                    assertThrows(IOException.class, () -> losses(run(SETTINGS).checkpoints(dir)));
            assertTrue(
                    busy.getMessage().contains("another run is training into it"),
                    busy.getMessage());
        } // SIGKILL in the middle of epoch 2
        assertEquals(1, Checkpoints.read(dir).epochsDone());
        List<Float> uninterrupted = losses(run(SETTINGS));
        List<Float> resumed = losses(run(SETTINGS).checkpoints(dir).resumeFrom(dir));
        assertSameSteps(uninterrupted, resumed);
        assertEquals(3, Checkpoints.read(dir).epochsDone());
    }
}
