package de.nnkurs.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.NoopTranslator;

import de.nnkurs.Lesson;
import de.nnkurs.PythonSide;
import de.nnkurs.RealMnist;
import de.nnkurs.data.DataLoader;
import de.nnkurs.data.MnistData;
import de.nnkurs.data.Sampler;
import de.nnkurs.model.Models;
import de.nnkurs.model.StateDict;
import de.nnkurs.model.Variant;
import de.nnkurs.training.OptimizerKind;
import de.nnkurs.training.RunListener;
import de.nnkurs.training.TrainingLoop;
import de.nnkurs.training.TrainingResult;
import de.nnkurs.training.TrainingSettings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Java-trained weights, saved as TorchScript by torch 1.13, run in DJL's libtorch 2.7.1. */
class TorchScriptIT {

    @TempDir Path tmp;

    @Test
    void torchScriptOfJavaWeightsGivesTheJavaModelsPredictions() throws Exception {
        PythonSide.require();
        MnistData mnist = RealMnist.load();
        TrainingSettings settings =
                TrainingSettings.builder()
                        .optEpochs(1)
                        .optBatchSize(Lesson.BATCH_SIZE)
                        .optLearningRate(Lesson.LEARNING_RATE)
                        .optSeed(2)
                        .optMaxBatches(50)
                        .optOptimizer(OptimizerKind.ADAM)
                        .build();
        Path weights = tmp.resolve("mnist.npz");
        Path script = tmp.resolve("mnist.pt");
        try (Model model = Model.newInstance("java")) {
            model.setBlock(Models.sequential(Variant.SLIDES));
            TrainingResult trained =
                    TrainingLoop.train(model, mnist, settings, new RunListener() {});
            StateDict.save(model.getBlock(), weights);
            PythonSide.run(
                    tmp.resolve("export.log"),
                    "export_torchscript.py",
                    "--weights",
                    weights.toString(),
                    "--out",
                    script.toString());

            Criteria<NDList, NDList> criteria =
                    Criteria.builder()
                            .setTypes(NDList.class, NDList.class)
                            .optModelPath(script)
                            .optEngine("PyTorch")
                            .optTranslator(new NoopTranslator())
                            .build();
            int[] predicted = new int[mnist.test().count()];
            double worst = 0;
            try (ZooModel<NDList, NDList> torchScript = criteria.loadModel();
                    Predictor<NDList, NDList> predictor = torchScript.newPredictor();
                    NDManager manager = NDManager.newBaseManager()) {
                ParameterStore ps = new ParameterStore(manager, false);
                int next = 0;
                for (Batch batch :
                        new DataLoader(manager, mnist.test(), 1000, Sampler.sequential())) {
                    try (batch) {
                        NDArray x = batch.getData().head().reshape(-1, Lesson.INPUT);
                        NDArray served = predictor.predict(new NDList(x)).head();
                        NDArray own = model.getBlock().forward(ps, new NDList(x), false).head();
                        worst = Math.max(worst, served.sub(own).abs().max().getFloat());
                        int[] classes =
                                served.argMax(1)
                                        .toType(ai.djl.ndarray.types.DataType.INT32, false)
                                        .toIntArray();
                        System.arraycopy(classes, 0, predicted, next, classes.length);
                        next += classes.length;
                    }
                }
                assertEquals(mnist.test().count(), next);
            }
            assertArrayEquals(trained.testPredictions(), predicted);
            assertTrue(worst <= 1e-5, "largest probability difference " + worst);
        }
    }
}
