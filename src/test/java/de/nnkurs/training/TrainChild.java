package de.nnkurs.training;

import de.nnkurs.run.TrainingRun;
import de.nnkurs.Synthetic;

import java.nio.file.Path;

/**
 * A training run in its own JVM for {@link CheckpointsKillIT}, with {@link CheckpointsTest}'s
 * network, data and settings: it checkpoints into {@code args[0]}, and in epoch {@code args[1]}
 * after step {@code args[2]} it says so and stops for good, to be killed there.
 */
final class TrainChild {

    private TrainChild() {}

    public static void main(String[] args) throws Exception {
        int pauseEpoch = Integer.parseInt(args[1]);
        int pauseStep = Integer.parseInt(args[2]);
        TrainingRun run =
                TrainingRun.of(CheckpointsTest.SETTINGS)
                        .architecture(CheckpointsTest.NETWORK)
                        .data(CheckpointsTest.DATA)
                        .checkpoints(Path.of(args[0]));
        run.run(
                new RunListener() {
                    @Override
                    public void onStep(int epoch, int batch, int batches, float loss) {
                        if (epoch == pauseEpoch && batch == pauseStep) {
                            System.out.println("paused at epoch " + epoch + " step " + batch);
                            System.out.flush();
                            try {
                                Thread.sleep(Long.MAX_VALUE);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }
                });
    }

    /** Keeps the synthetic data's class loaded from the same place as the test's. */
    static Class<?> data() {
        return Synthetic.class;
    }
}
