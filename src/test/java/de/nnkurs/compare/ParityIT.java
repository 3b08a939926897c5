package de.nnkurs.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.Lesson;
import de.nnkurs.PythonSide;
import de.nnkurs.RealMnist;
import de.nnkurs.data.MnistData;
import de.nnkurs.training.OptimizerKind;
import de.nnkurs.training.TrainedModel;
import de.nnkurs.training.RunListener;
import de.nnkurs.run.TrainingRun;
import de.nnkurs.training.TrainingSettings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The Java loop and the slides' Python loop agree step for step from the same start. */
class ParityIT {

    private static final int STEPS = 100;

    @TempDir Path tmp;

    @Test
    void javaMatchesPythonStepForStepOverTheFirstHundredSteps() throws Exception {
        PythonSide.require();
        MnistData mnist = RealMnist.load();
        Path init = tmp.resolve("init.npz");
        Path order = tmp.resolve("order.npz");
        TrainingSettings settings =
                TrainingSettings.builder()
                        .optEpochs(1)
                        .optBatchSize(Lesson.BATCH_SIZE)
                        .optLearningRate(Lesson.LEARNING_RATE)
                        .optSeed(1)
                        .optMaxBatches(STEPS)
                        .optOptimizer(OptimizerKind.ADAM)
                        .build();
        RunRecord java;
        TrainingRun run =
                TrainingRun.of(settings).data(mnist).saveInitialWeights(init).saveOrder(order);
        try (TrainedModel trained = run.run(RunListener.NONE)) {
            java = RunRecord.ofJava(trained);
        }

        Path record = tmp.resolve("python.json");
        PythonSide.run(
                tmp.resolve("python.log"),
                "slides_mnist.py",
                "--data-dir",
                RealMnist.dir().toString(),
                "--epochs",
                "1",
                "--max-batches",
                Integer.toString(STEPS),
                "--init",
                init.toString(),
                "--order",
                order.toString(),
                "--save-record",
                record.toString());
        RunRecord python = RunRecord.read(record);

        assertEquals(STEPS, CompareReport.differences(java, python).size());
        // The same targets scripts/compare judges a whole run by (CompareReport says why).
        for (CompareReport.Target target : CompareReport.targets(python, java)) {
            assertTrue(target.met(), target.description() + ": measured " + target.measured());
        }
    }
}
