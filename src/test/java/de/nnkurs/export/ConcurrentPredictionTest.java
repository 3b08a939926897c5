package de.nnkurs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.ZooModel;

import de.nnkurs.ExportedMnist;
import de.nnkurs.MnistSlice;
import de.nnkurs.data.DigitImages;
import de.nnkurs.data.MnistSplit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** One loaded model serves eight threads at once, each with its own predictor. */
class ConcurrentPredictionTest {

    private static final int IMAGES = 400;
    private static final int THREADS = 8;

    private static List<String> predictAll(ZooModel<Image, Classifications> model, MnistSplit test)
            throws Exception {
        List<String> answers = new ArrayList<>();
        try (Predictor<Image, Classifications> predictor = model.newPredictor()) {
            for (int i = 0; i < IMAGES; i++) {
                Image image = ImageFactory.getInstance().fromImage(DigitImages.of(test, i));
                Classifications.Classification best = predictor.predict(image).best();
                answers.add(best.getClassName() + " " + best.getProbability());
            }
        }
        return answers;
    }

    @Test
    void eightThreadsGiveTheSameAnswersAsOne() throws Exception {
        MnistSplit test = MnistSlice.load().test();
        try (ZooModel<Image, Classifications> model = ServingLoader.load(ExportedMnist.folder())) {
            List<String> single = predictAll(model, test);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<List<String>>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    Callable<List<String>> job = () -> predictAll(model, test);
                    futures.add(pool.submit(job));
                }
                for (Future<List<String>> f : futures) {
                    assertEquals(single, f.get());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
