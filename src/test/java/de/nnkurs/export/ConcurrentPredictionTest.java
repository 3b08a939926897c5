package de.nnkurs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.inference.Predictor;
import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.repository.zoo.ZooModel;

import de.nnkurs.ExportedMnist;
import de.nnkurs.MnistSlice;
import de.nnkurs.data.DigitImages;
import de.nnkurs.data.MnistSplit;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.imageio.ImageIO;

/**
 * One loaded model serves eight threads at once, each with its own predictor, through the export's
 * own translator as DJL Serving runs it.
 */
class ConcurrentPredictionTest {

    private static final int IMAGES = 400;
    private static final int THREADS = 8;

    private static List<String> predictAll(ZooModel<Input, Output> model, List<byte[]> pngs)
            throws Exception {
        List<String> answers = new ArrayList<>();
        try (Predictor<Input, Output> predictor = model.newPredictor()) {
            for (byte[] png : pngs) {
                Input input = new Input();
                input.add("data", png);
                input.addProperty("Content-Type", "image/png");
                Output output = predictor.predict(input);
                assertEquals(200, output.getCode(), output.getMessage());
                answers.add(output.getData().getAsString());
            }
        }
        return answers;
    }

    @Test
    void eightThreadsGiveTheSameAnswersAsOne() throws Exception {
        MnistSplit test = MnistSlice.load().test();
        List<byte[]> pngs = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(DigitImages.of(test, i), "png", png);
            pngs.add(png.toByteArray());
        }
        try (ZooModel<Input, Output> model =
                ServingLoader.load(ExportedMnist.folder(), Input.class, Output.class, null)) {
            List<String> single = predictAll(model, pngs);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<List<String>>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    Callable<List<String>> job = () -> predictAll(model, pngs);
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
