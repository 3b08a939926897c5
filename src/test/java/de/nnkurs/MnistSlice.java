package de.nnkurs;

import de.nnkurs.data.MnistData;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A slice of the real MNIST for the fast tests, committed under {@code
 * src/test/resources/mnist-slice}: the first {@value #TRAIN} training and {@value #TEST} test
 * examples as gzip-compressed IDX files, written by {@code scripts/make-test-slice}. No npm, no
 * {@code data/} folder.
 */
public final class MnistSlice {

    /** Training examples in the slice. */
    public static final int TRAIN = 6000;

    /** Test examples in the slice. */
    public static final int TEST = 1000;

    private static final String FOLDER = "mnist-slice";

    /** A file of the slice, to find the folder on the class path. */
    private static final String PROBE = "train-images-idx3-ubyte.gz";

    private static MnistData cached;

    private MnistSlice() {}

    /**
     * Returns the slice's folder (in {@code target/test-classes} under Maven), as {@code
     * --data-dir} takes it.
     *
     * @throws IOException naming the resource if the slice is not on the class path as a folder
     */
    public static synchronized Path dir() throws IOException {
        String resource = "/" + FOLDER + "/" + PROBE;
        URL url = MnistSlice.class.getResource(resource);
        if (url == null) {
            throw new IOException(
                    resource
                            + ": not on the test class path; it comes from"
                            + " src/test/resources/mnist-slice (scripts/make-test-slice writes"
                            + " it)");
        }
        if (!"file".equals(url.getProtocol())) {
            throw new IOException(url + ": the MNIST slice must be a folder on disk, not in a jar");
        }
        try {
            Path dir = Path.of(url.toURI()).getParent();
            if (!Files.isDirectory(dir)) {
                throw new IOException(dir + ": the MNIST slice's folder is missing");
            }
            return dir;
        } catch (URISyntaxException e) {
            throw new IOException(url + ": not a usable file address (" + e.getMessage() + ")", e);
        }
    }

    /** Returns the loaded slice, read once per test JVM. */
    public static synchronized MnistData load() throws IOException {
        if (cached == null) {
            cached = MnistData.load(dir());
        }
        return cached;
    }
}
