package de.nnkurs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import de.nnkurs.ProgressListener;
import de.nnkurs.RealMnist;
import de.nnkurs.data.MnistData;
import de.nnkurs.evaluation.Evaluation;
import de.nnkurs.run.TrainingRun;
import de.nnkurs.training.RunListener;
import de.nnkurs.training.TrainedModel;
import de.nnkurs.training.TrainingSettings;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lesson's model (full MNIST, two epochs, seed 1), exported, answers photo-like pictures — the
 * first 100 MNIST test digits as dark ink on white 280×280-ish JPEGs, a third stored rotated with
 * an EXIF orientation tag ({@code scripts/make_photo_fixtures.py}) — the same in-process ({@code
 * predict}) and in a JVM that has only DJL and the export's own {@code libs/} jar (DJL Serving's
 * way), and gets at least 90 of them right. MNIST's own test pictures keep exactly the accuracy the
 * trained model had in-process.
 */
class PhotosIT {

    @TempDir static Path tmp;

    private static MnistData mnist;
    private static Path exported;
    private static double inProcessAccuracy;
    private static List<Path> photos;
    private static List<Integer> labels;

    @BeforeAll
    static void trainAndExportTheLessonsModel() throws Exception {
        mnist = RealMnist.load();
        Path trained = tmp.resolve("models").resolve("mnist");
        try (TrainedModel model =
                TrainingRun.of(TrainingSettings.lesson()).data(mnist).run(RunListener.NONE)) {
            inProcessAccuracy = model.testAccuracy();
            ModelFolder.save(model, trained);
        }
        exported = ServingFolder.export(trained, tmp.resolve("models").resolve("serving"));
        Path root = Path.of(PhotosIT.class.getResource("/photos/photos.json").toURI()).getParent();
        JsonObject index =
                JsonParser.parseString(
                                Files.readString(
                                        root.resolve("photos.json"), StandardCharsets.UTF_8))
                        .getAsJsonObject();
        photos = new ArrayList<>();
        labels = new ArrayList<>();
        for (JsonElement e : index.getAsJsonArray("photos")) {
            JsonObject photo = e.getAsJsonObject();
            photos.add(root.resolve(photo.get("file").getAsString()));
            labels.add(photo.get("label").getAsInt());
        }
    }

    @Test
    void predictAndTheExportUnderDjlServingsClassLoadingGiveTheSameAnswersAndNinetyAreRight()
            throws Exception {
        assertEquals(100, photos.size());
        List<byte[]> bytes = new ArrayList<>();
        for (Path photo : photos) {
            bytes.add(Files.readAllBytes(photo));
        }
        List<String> served = IsolatedServing.answers(exported, bytes, tmp);
        int right = 0;
        try (DigitClassifier classifier = DigitClassifier.open(exported)) {
            for (int i = 0; i < photos.size(); i++) {
                DigitClassifier.Prediction local = classifier.predict(photos.get(i));
                JsonArray top = JsonParser.parseString(served.get(i)).getAsJsonArray();
                for (int k = 0; k < DigitClassifier.TOP; k++) {
                    JsonObject c = top.get(k).getAsJsonObject();
                    assertEquals(
                            local.top().get(k).digit(),
                            Integer.parseInt(c.get("className").getAsString()),
                            photos.get(i) + " rank " + k);
                    assertEquals(
                            local.top().get(k).probability(),
                            c.get("probability").getAsDouble(),
                            1e-5,
                            photos.get(i).toString());
                }
                right += local.best().digit() == labels.get(i) ? 1 : 0;
            }
        }
        System.out.printf("photo-like JPEGs right: %d of %d%n", right, photos.size());
        assertTrue(right >= 90, right + " of 100 photos right");
    }

    @Test
    void mnistsTestPicturesKeepTheTrainedModelsAccuracyExactly() throws Exception {
        Evaluation evaluation = Evaluation.of(exported, mnist.test(), ProgressListener.NONE);
        assertEquals(inProcessAccuracy, evaluation.accuracy());
    }
}
