package de.nnkurs.data;

import de.nnkurs.Lesson;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * MNIST (or any dataset in its format) loaded from a folder of IDX files.
 *
 * @param train the 60,000 training examples ({@code trainset})
 * @param test the 10,000 test examples ({@code testset})
 * @param sha256 the sha256 of each file as found on disk, by its name there (e.g. {@code
 *     train-images-idx3-ubyte.gz}), for the model's metadata
 */
public record MnistData(MnistSplit train, MnistSplit test, Map<String, String> sha256) {

    /**
     * Loads the four files from a folder and checks they fit the lesson's model.
     *
     * @param dir a folder as accepted by {@link MnistFile#locate(Path)}
     * @return the dataset
     * @throws InvalidDataException naming the file if anything is missing or malformed
     * @throws IOException if reading fails
     */
    public static MnistData load(Path dir) throws IOException {
        Map<String, String> sha = new TreeMap<>();
        MnistSplit train = loadSplit(dir, MnistFile.TRAIN_IMAGES, MnistFile.TRAIN_LABELS, sha);
        MnistSplit test = loadSplit(dir, MnistFile.TEST_IMAGES, MnistFile.TEST_LABELS, sha);
        return new MnistData(train, test, java.util.Collections.unmodifiableMap(sha));
    }

    private static MnistSplit loadSplit(
            Path dir, MnistFile imageFile, MnistFile labelFile, Map<String, String> sha)
            throws IOException {
        Path imagesPath = imageFile.locate(dir);
        Path labelsPath = labelFile.locate(dir);
        IdxImages images = IdxReader.readImages(imagesPath);
        if (images.rows() != Lesson.IMAGE_SIDE || images.cols() != Lesson.IMAGE_SIDE) {
            throw new InvalidDataException(
                    imagesPath,
                    String.format(
                            Locale.ROOT,
                            "images are %d×%d, the lesson's model takes %d×%d",
                            images.rows(),
                            images.cols(),
                            Lesson.IMAGE_SIDE,
                            Lesson.IMAGE_SIDE));
        }
        byte[] labels = IdxReader.readLabels(labelsPath, Lesson.OUTPUT);
        if (labels.length != images.count()) {
            throw new InvalidDataException(
                    labelsPath,
                    String.format(
                            Locale.ROOT,
                            "%d labels, but %s holds %d images",
                            labels.length,
                            imagesPath.getFileName(),
                            images.count()));
        }
        sha.put(imagesPath.getFileName().toString(), Sha256.of(imagesPath));
        sha.put(labelsPath.getFileName().toString(), Sha256.of(labelsPath));
        return new MnistSplit(images.count(), images.pixels(), labels);
    }
}
