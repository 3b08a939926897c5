package de.nnkurs.compare;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

import com.google.gson.Gson;
import com.google.gson.JsonIOException;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import de.nnkurs.data.InvalidDataException;
import de.nnkurs.io.AtomicFile;
import de.nnkurs.training.EpochResult;
import de.nnkurs.training.TrainedModel;
import de.nnkurs.training.TrainingResult;
import de.nnkurs.training.TrainingSettings;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One training run as the comparison sees it, written as JSON by the Java side ({@code train
 * --save-record}) and by {@code scripts/slides_mnist.py --save-record} with the same keys.
 *
 * @param side {@code java} or {@code python}
 * @param optimizer e.g. {@code adam} (PyTorch's update) or {@code djl-adam}
 * @param variant {@code slides} or {@code logits}
 * @param batchSize examples per step
 * @param learningRate the learning rate
 * @param stepLosses the loss of every step
 * @param history per-epoch mean loss, test accuracy and seconds
 * @param testPredictions the predicted class of each test image after the last epoch
 * @param testAccuracy test accuracy after the last epoch
 * @param peakRssMb peak resident memory of the process in MiB, or null where unknown
 * @param versions library versions, e.g. DJL and libtorch, or torch and torchvision
 */
public record RunRecord(
        String side,
        String optimizer,
        String variant,
        int batchSize,
        double learningRate,
        List<Float> stepLosses,
        List<EpochResult> history,
        int[] testPredictions,
        double testAccuracy,
        Double peakRssMb,
        Map<String, String> versions) {

    private static final Gson GSON =
            new GsonBuilder().serializeSpecialFloatingPointValues().create();

    /**
     * Describes a finished Java run.
     *
     * @param trained the trained model with its settings and results
     * @return the record
     */
    public static RunRecord ofJava(TrainedModel trained) {
        TrainingSettings settings = trained.settings();
        TrainingResult result = trained.result();
        String variant = trained.architecture().variant().label();
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("djl", Engine.getDjlVersion());
        versions.put("libtorch", Engine.getInstance().getVersion());
        versions.put("java", System.getProperty("java.version"));
        versions.put("threads", Integer.toString(JniUtils.getNumThreads()));
        return new RunRecord(
                "java",
                settings.optimizer().label(),
                variant,
                settings.batchSize(),
                settings.learningRate(),
                result.stepLosses(),
                result.epochs(),
                result.testPredictions(),
                result.finalAccuracy(),
                PeakMemory.residentMb(),
                versions);
    }

    /**
     * Writes the record atomically.
     *
     * @param file the JSON file
     * @throws IOException if writing fails
     */
    public void write(Path file) throws IOException {
        AtomicFile.write(
                file,
                out -> {
                    Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                    try {
                        GSON.toJson(this, w);
                    } catch (JsonIOException e) {
                        // Gson wraps the disk's error ("No space left on device"); hand it back
                        // so that the message names the record.
                        throw e.getCause() instanceof IOException io ? io : new IOException(e);
                    }
                    w.flush();
                });
    }

    /**
     * Reads a record written by either side.
     *
     * @param file the JSON file
     * @return the record
     * @throws InvalidDataException naming the file if it is missing or not a run record
     * @throws IOException if reading fails
     */
    public static RunRecord read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidDataException(file, "no such file");
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            RunRecord record = GSON.fromJson(r, RunRecord.class);
            if (record == null || record.stepLosses() == null || record.testPredictions() == null) {
                throw new InvalidDataException(
                        file, "not a run record (no stepLosses/testPredictions)");
            }
            return record;
        } catch (JsonParseException e) {
            throw new InvalidDataException(file, "not valid JSON (" + e.getMessage() + ")");
        }
    }
}
