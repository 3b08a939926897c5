package de.nnkurs.export;

import ai.djl.modality.Input;
import ai.djl.modality.Output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.ExportedMnist;
import de.nnkurs.MnistSlice;
import de.nnkurs.data.DigitImages;
import de.nnkurs.data.InvalidDataException;
import de.nnkurs.data.Sha256;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Hostile exported models are refused with one line before they cost memory or disk. */
class ServingLoaderTest {

    @TempDir Path tmp;

    private Path zip(String name, byte[] content) throws IOException {
        Path file = tmp.resolve("model.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("mnist/serving.properties"));
            zip.write("engine=PyTorch\n".getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("mnist/" + name));
            zip.write(content);
            zip.closeEntry();
        }
        return file;
    }

    @Test
    void aZipEntryThatUnpacksFarBeyondItsPackedSizeIsRefusedBeforeItIsUnpacked()
            throws IOException {
        // 4 MB of zeros pack into a few KB: a ratio no model file has.
        Path bomb = zip("mnist-0002.params", new byte[4 << 20]);
        InvalidDataException e =
                assertThrows(
                        InvalidDataException.class,
                        () -> ServingLoader.load(bomb, Input.class, Output.class, null));
        assertTrue(
                e.getMessage()
                        .startsWith(bomb + ": entry mnist/mnist-0002.params declares 4194304"),
                e.getMessage());
    }

    @Test
    void aTamperedCopyInTheUnpackCacheIsNeverLoaded() throws Exception {
        Path zip = ExportedMnist.zip();
        Path folder = ExportedMnist.folder();
        Path cached = ServingLoader.cacheFolder().resolve(Sha256.of(zip));
        try (var model = ServingLoader.load(zip, Input.class, Output.class, null)) {
            // unpacked into the cache once
        }
        // Someone overwrites the cached parameters with bytes of the same size.
        Path params;
        try (var files = Files.walk(cached)) {
            params = files.filter(p -> p.toString().endsWith(".params")).findFirst().orElseThrow();
        }
        Files.write(params, new byte[(int) Files.size(params)]);
        assertFalse(ServingLoader.sameContent(zip, cached));

        BufferedImage seven = DigitImages.of(MnistSlice.load().test(), 0);
        try (DigitClassifier fromZip = DigitClassifier.open(zip);
                DigitClassifier fromFolder = DigitClassifier.open(folder)) {
            assertEquals(fromFolder.predict(seven), fromZip.predict(seven));
        }
        assertTrue(ServingLoader.sameContent(zip, cached), "the cache was unpacked again");
    }

    @Test
    void theUnpackCacheIsPrivateToItsUser() throws Exception {
        ServingLoader.load(ExportedMnist.zip(), Input.class, Output.class, null).close();
        assertEquals(
                PosixFilePermissions.fromString("rwx------"),
                Files.getPosixFilePermissions(ServingLoader.cacheFolder()));
    }

    @Test
    void anOversizedServingPropertiesInAFolderIsRefusedWithoutReadingIt() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("mnist"));
        Path file = folder.resolve("serving.properties");
        try (var out = Files.newOutputStream(file)) {
            byte[] line = "# padding padding padding padding padding padding padding\n".getBytes();
            for (int i = 0; i < (ServingLoader.MAX_PROPERTIES_BYTES / line.length) + 2; i++) {
                out.write(line);
            }
        }
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> ServingLoader.properties(folder));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("a serving.properties has at most"), e.getMessage());
    }

    @Test
    void anOversizedServingPropertiesInAZipIsRefused() throws IOException {
        Path file = tmp.resolve("props.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("mnist/serving.properties"));
            zip.write(new byte[ServingLoader.MAX_PROPERTIES_BYTES + 10]);
            zip.closeEntry();
        }
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> ServingLoader.properties(file));
        assertTrue(e.getMessage().contains("a serving.properties has at most"), e.getMessage());
    }

    @Test
    void anExportOfAnEarlierVersionIsRefusedSayingToExportAgain() throws Exception {
        Path old = tmp.resolve("old").resolve("mnist");
        Files.createDirectories(old);
        Files.writeString(
                old.resolve("serving.properties"),
                "engine=PyTorch\n"
                        + "blockFactory=ai.djl.basicmodelzoo.basic.MlpBlockFactory\n"
                        + "translatorFactory=ai.djl.modality.cv.translator"
                        + ".ImageClassificationTranslatorFactory\n");
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> DigitClassifier.open(old));
        assertEquals(
                old
                        + ": exported by an earlier nnkurs, for DJL's image translator (which"
                        + " neither inverts nor centres the digit); export it again with nnkurs"
                        + " export",
                e.getMessage());
    }
}
