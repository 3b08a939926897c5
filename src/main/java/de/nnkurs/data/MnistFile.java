package de.nnkurs.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The four files of MNIST, with the sha256 of the original uncompressed files. */
public enum MnistFile {
    /** Training images, 60,000 × 28 × 28. */
    TRAIN_IMAGES(
            "train-images-idx3-ubyte",
            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
    /** Training labels, 60,000. */
    TRAIN_LABELS(
            "train-labels-idx1-ubyte",
            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
    /** Test images, 10,000 × 28 × 28. */
    TEST_IMAGES(
            "t10k-images-idx3-ubyte",
            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
    /** Test labels, 10,000. */
    TEST_LABELS(
            "t10k-labels-idx1-ubyte",
            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    private final String fileName;
    private final String sha256;

    MnistFile(String fileName, String sha256) {
        this.fileName = fileName;
        this.sha256 = sha256;
    }

    /** Returns the canonical file name, e.g. {@code train-images-idx3-ubyte}. */
    public String fileName() {
        return fileName;
    }

    /** Returns the sha256 of the original uncompressed file. */
    public String sha256() {
        return sha256;
    }

    /**
     * Finds this file in a data folder.
     *
     * <p>Accepts the canonical name, the dotted variant ({@code train-images.idx3-ubyte}), either
     * with {@code .gz}, directly in {@code dir} or in torchvision's {@code MNIST/raw} below it.
     *
     * @param dir the data folder
     * @return the file
     * @throws InvalidDataException if no candidate exists, or one exists that is not a regular file
     */
    public Path locate(Path dir) throws IOException {
        Path strange = null;
        for (Path candidate : candidates(dir)) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            if (strange == null && Files.exists(candidate)) {
                strange = candidate;
            }
        }
        if (strange != null) {
            // A pipe or a device would block or never end when read: name it instead.
            throw new InvalidDataException(
                    strange,
                    "not a regular file (a folder, a pipe or a device); expected MNIST's "
                            + fileName);
        }
        throw new InvalidDataException(
                dir, "no " + fileName + " (or " + fileName + ".gz) in this folder");
    }

    private List<Path> candidates(Path dir) {
        String dotted = fileName.replaceFirst("-idx", ".idx");
        List<Path> result = new ArrayList<>();
        for (Path base : List.of(dir, dir.resolve("MNIST").resolve("raw"))) {
            for (String name : List.of(fileName, dotted)) {
                result.add(base.resolve(name));
                result.add(base.resolve(name + ".gz"));
            }
        }
        return result;
    }
}
