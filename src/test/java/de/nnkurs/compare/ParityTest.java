package de.nnkurs.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;

import de.nnkurs.Lesson;
import de.nnkurs.PythonSide;
import de.nnkurs.RealMnist;
import de.nnkurs.data.Mnist;
import de.nnkurs.data.OrderFile;
import de.nnkurs.data.Sampler;
import de.nnkurs.model.StateDict;
import de.nnkurs.model.Models;
import de.nnkurs.model.Variant;
import de.nnkurs.training.OptimizerKind;
import de.nnkurs.training.TrainingListener;
import de.nnkurs.training.TrainingLoop;
import de.nnkurs.training.TrainingResult;
import de.nnkurs.training.TrainingSettings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** The Java loop and the slides' Python loop agree step for step from the same start. */
class ParityTest {

    private static final int STEPS = 100;

    @TempDir Path tmp;

    @Test
    void javaMatchesPythonStepForStepOverTheFirstHundredSteps() throws Exception {
        PythonSide.require();
        Mnist mnist = RealMnist.load();
        Path init = tmp.resolve("init.npz");
        Path order = tmp.resolve("order.npz");
        TrainingSettings settings =
                new TrainingSettings(
                        1, Lesson.BATCH_SIZE, Lesson.LEARNING_RATE, 1, STEPS, OptimizerKind.ADAM);
        RunRecord java;
        try (Model model = Model.newInstance("parity")) {
            model.setBlock(Models.sequential(Variant.SLIDES));
            Models.initialize(model.getBlock(), model.getNDManager(), 1);
            StateDict.save(model.getBlock(), init);
            List<int[]> orders =
                    List.of(Sampler.random(new Random(1)).nextEpoch(mnist.train().count()));
            OrderFile.write(order, orders, model.getNDManager());
            TrainingResult result =
                    TrainingLoop.train(
                            model,
                            mnist,
                            settings,
                            Sampler.fixed(orders),
                            new TrainingListener() {});
            java = RunRecord.ofJava(settings, "slides", result);
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
                "--record",
                record.toString());
        RunRecord python = RunRecord.read(record);

        List<Double> d = CompareReport.differences(java, python);
        assertEquals(STEPS, d.size());
        double first50 = CompareReport.window(d, 50).max();
        double first100 = CompareReport.window(d, 100).max();
        assertTrue(first50 <= 1e-5, "max |Δloss| over 50 steps: " + first50);
        assertTrue(first100 <= 1e-3, "max |Δloss| over 100 steps: " + first100);
        double agreement = CompareReport.agreement(java, python);
        assertTrue(agreement >= 0.99, "test predictions agree on " + agreement);
    }
}
