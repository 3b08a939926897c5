package de.nnkurs.cli;

import de.nnkurs.InvalidSettingException;
import de.nnkurs.data.InvalidDataException;
import de.nnkurs.training.Checkpoints;
import de.nnkurs.training.TrainingRun;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * {@code --resume}: train writes a checkpoint beside the output folder after every epoch ({@code
 * models/mnist.checkpoint}), and this option continues the run that left it.
 */
final class ResumeOption {

    @Option(
            names = "--resume",
            description =
                    "continue an interrupted run from the checkpoint that train writes after every"
                            + " epoch beside the output folder (DIR.checkpoint); give the"
                            + " interrupted run's options")
    boolean resume;

    private Path dir;

    /**
     * Plans the run's checkpoints: resume from the one beside {@code target} if asked, and write
     * one there after each epoch unless nothing is to be saved.
     *
     * @param run the run to plan
     * @param target the model folder the run saves into
     * @param save whether the run saves (not a dry run)
     * @param out where the notes go
     * @throws InvalidSettingException (setting {@code resume}) if there is no usable checkpoint
     */
    void applyTo(TrainingRun run, Path target, boolean save, PrintWriter out) {
        dir = Checkpoints.beside(target);
        if (resume) {
            try {
                run.resumeFrom(dir);
            } catch (InvalidDataException e) {
                throw new InvalidSettingException("resume", e.getMessage());
            } catch (IOException e) {
                throw new InvalidSettingException("resume", dir + ": cannot be read (" + e + ")");
            }
        } else if (save && Checkpoints.isCheckpoint(dir)) {
            out.printf(
                    "Note: %s holds an interrupted run's checkpoint; this run starts afresh and"
                            + " replaces it after its first epoch (--resume continues it"
                            + " instead)%n",
                    dir);
        }
        if (save) {
            run.checkpoints(dir);
        }
    }

    /**
     * Removes the checkpoint once the run is saved: the model folder now holds the final weights.
     */
    void saved(PrintWriter out) throws IOException {
        if (dir != null && Checkpoints.delete(dir) && resume) {
            out.printf("Removed %s: the run is complete%n", dir);
        }
    }

    /** Says what stays after a run that diverged. */
    void diverged(PrintWriter out) {
        if (dir != null && Checkpoints.isCheckpoint(dir)) {
            out.printf("The last good checkpoint stays in %s%n", dir);
        }
    }

    /** Says where the run starts, if it resumes. */
    void printStart(TrainingRun run, PrintWriter out) {
        if (resume) {
            out.printf(
                    "Resuming from %s after epoch %d of %d%n",
                    dir, run.resumedEpochs(), run.settings().epochs());
        }
    }
}
