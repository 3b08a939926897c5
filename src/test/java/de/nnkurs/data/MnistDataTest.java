package de.nnkurs.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Specifies how {@link MnistData#load(Path)} finds, checks and loads the four MNIST files. */
class MnistDataTest {

    private static final int SIDE = IdxFixtures.SIDE;

    @TempDir Path dir;

    @Test
    void loadsRawFolder() throws IOException {
        IdxFixtures.writeMnistFolder(dir, 30, 20, false);

        MnistData mnist = MnistData.load(dir);

        assertSplit(mnist.train(), 30);
        assertSplit(mnist.test(), 20);
    }

    @Test
    void loadsGzipFolder() throws IOException {
        IdxFixtures.writeMnistFolder(dir, 30, 20, true);

        MnistData mnist = MnistData.load(dir);

        assertSplit(mnist.train(), 30);
        assertSplit(mnist.test(), 20);
    }

    @Test
    void findsFilesInTorchvisionLayout() throws IOException {
        IdxFixtures.writeMnistFolder(dir.resolve("MNIST").resolve("raw"), 30, 20, false);

        MnistData mnist = MnistData.load(dir);

        assertSplit(mnist.train(), 30);
        assertSplit(mnist.test(), 20);
    }

    @Test
    void findsDottedFileNames() throws IOException {
        IdxFixtures.writeMnistFolder(dir, 30, 20, false);
        for (MnistFile f : MnistFile.values()) {
            String dotted = f.fileName().replaceFirst("-idx", ".idx");
            Files.move(dir.resolve(f.fileName()), dir.resolve(dotted));
        }
        assertTrue(Files.exists(dir.resolve("train-images.idx3-ubyte")));

        MnistData mnist = MnistData.load(dir);

        assertSplit(mnist.train(), 30);
        assertSplit(mnist.test(), 20);
    }

    @Test
    void rejectsMissingFileNamingTheFolderAndTheFile() throws IOException {
        IdxFixtures.writeMnistFolder(dir, 30, 20, false);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));

        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> MnistData.load(dir));

        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("no t10k-labels-idx1-ubyte"), e.getMessage());
    }

    @Test
    void aPipeInPlaceOfADataFileIsNamedInsteadOfReadForever() throws Exception {
        IdxFixtures.writeMnistFolder(dir, 30, 20, false);
        Path labels = dir.resolve("t10k-labels-idx1-ubyte");
        Files.delete(labels);
        assertEquals(0, new ProcessBuilder("mkfifo", labels.toString()).start().waitFor());

        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> MnistData.load(dir));

        assertEquals(
                labels
                        + ": not a regular file (a folder, a pipe or a device); expected MNIST's"
                        + " t10k-labels-idx1-ubyte",
                e.getMessage());
    }

    @Test
    void rejectsImageLabelCountMismatchNamingTheLabelsFileAndBothCounts() throws IOException {
        IdxFixtures.writeMnistFolder(dir, 30, 20, false);
        Path labels = dir.resolve("train-labels-idx1-ubyte");
        IdxFixtures.writeLabels(labels, IdxFixtures.labels(29), false);

        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> MnistData.load(dir));

        assertTrue(e.getMessage().startsWith(labels + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("29 labels"), e.getMessage());
        assertTrue(e.getMessage().contains("holds 30 images"), e.getMessage());
    }

    @Test
    void rejectsImagesThatAreNot28By28SayingTheModelTakes28By28() throws IOException {
        IdxFixtures.writeMnistFolder(dir, 30, 20, false);
        Path images = dir.resolve("train-images-idx3-ubyte");
        IdxFixtures.writeImages(images, 30, 32, 32, IdxFixtures.pixels(30, 32, 32), false);

        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> MnistData.load(dir));

        assertTrue(e.getMessage().startsWith(images + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("images are 32×32"), e.getMessage());
        assertTrue(e.getMessage().contains("model takes 28×28"), e.getMessage());
    }

    @Test
    void sha256MapHoldsTheSha256OfEachFile() throws IOException {
        IdxFixtures.writeMnistFolder(dir, 30, 20, false);

        MnistData mnist = MnistData.load(dir);

        assertEquals(MnistFile.values().length, mnist.sha256().size());
        for (MnistFile f : MnistFile.values()) {
            assertEquals(
                    Sha256.of(dir.resolve(f.fileName())),
                    mnist.sha256().get(f.fileName()),
                    f.name());
        }
    }

    @Test
    void sha256MapHoldsTheSha256OfTheGzipFilesUnderTheirOwnNames() throws IOException {
        IdxFixtures.writeMnistFolder(dir, 30, 20, true);

        MnistData mnist = MnistData.load(dir);

        for (MnistFile f : MnistFile.values()) {
            Path gz = dir.resolve(IdxFixtures.fileName(f, true));
            assertEquals(Sha256.of(gz), mnist.sha256().get(gz.getFileName().toString()), f.name());
        }
    }

    private static void assertSplit(MnistSplit split, int count) {
        assertEquals(count, split.count());
        assertArrayEquals(IdxFixtures.pixels(count, SIDE, SIDE), split.pixels());
        assertArrayEquals(IdxFixtures.labels(count), split.labels());
    }
}
