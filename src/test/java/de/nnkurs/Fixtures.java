package de.nnkurs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import de.nnkurs.data.MnistData;
import de.nnkurs.data.MnistSplit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Expected values computed outside the project: {@code scripts/make_fixtures.py} wrote them with
 * PyTorch 1.13.1, torchvision 0.14.1 and numpy under {@code src/test/resources/fixtures/} ({@code
 * provenance.json} there has the exact versions).
 */
public final class Fixtures {

    private Fixtures() {}

    /** Returns the fixture file's path, from the test class path. */
    public static Path path(String name) {
        URL url = Fixtures.class.getResource("/fixtures/" + name);
        if (url == null) {
            throw new IllegalStateException(
                    "no fixture " + name + ": run /usr/bin/python3 scripts/make_fixtures.py");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns a JSON fixture. */
    public static JsonObject json(String name) {
        try {
            return JsonParser.parseString(Files.readString(path(name), StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the arrays of an {@code .npz} fixture by name, as DJL decodes them. */
    public static Map<String, NDArray> npz(String name, NDManager manager) {
        try (InputStream in = Files.newInputStream(path(name))) {
            Map<String, NDArray> byName = new LinkedHashMap<>();
            for (NDArray a : NDList.decode(manager, in)) {
                byName.put(a.getName(), a);
            }
            return byName;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns a JSON array of numbers as floats; float32 values written as doubles are exact. */
    public static float[] floats(JsonArray array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsFloat();
        }
        return values;
    }

    /** Returns a JSON array of integers. */
    public static int[] ints(JsonArray array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsInt();
        }
        return values;
    }

    /**
     * Returns {@code mnist_tiny.npz}: the first 10 training and the first 10 test images of the
     * real MNIST with their labels.
     */
    public static MnistData tinyMnist() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> npz = npz("mnist_tiny.npz", manager);
            return new MnistData(
                    split(npz.get("train_images"), npz.get("train_labels")),
                    split(npz.get("test_images"), npz.get("test_labels")),
                    Map.of());
        }
    }

    private static MnistSplit split(NDArray images, NDArray labels) {
        return new MnistSplit(
                Math.toIntExact(labels.size()), images.toByteArray(), labels.toByteArray());
    }
}
