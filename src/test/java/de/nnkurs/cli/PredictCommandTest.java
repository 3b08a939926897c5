package de.nnkurs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.ExportedMnist;
import de.nnkurs.MnistSlice;
import de.nnkurs.data.DigitImages;
import de.nnkurs.data.MnistSplit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

/** {@code predict}: pictures of any size, scans, and bad files. */
class PredictCommandTest extends CommandLineTest {

    @TempDir Path tmp;

    /** Test image {@code index} scaled to 100×100, optionally inverted, as PNG or JPEG. */
    private Path picture(int index, boolean inverted, String format) throws IOException {
        MnistSplit test = MnistSlice.load().test();
        BufferedImage big = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = big.createGraphics();
        g.setRenderingHint(
                RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(DigitImages.of(test, index), 0, 0, 100, 100, null);
        g.dispose();
        if (inverted) {
            for (int y = 0; y < 100; y++) {
                for (int x = 0; x < 100; x++) {
                    big.setRGB(x, y, ~big.getRGB(x, y) & 0xffffff);
                }
            }
        }
        Path file = tmp.resolve("digit" + index + (inverted ? "-scan." : ".") + format);
        ImageIO.write(big, format, file.toFile());
        return file;
    }

    private static int label(int index) throws IOException {
        return MnistSlice.load().test().labels()[index];
    }

    @Test
    void a100By100PngOfADigitIsPredictedAsThatDigit() throws IOException {
        Path model = ExportedMnist.folder();
        Path png = picture(0, false, "png");
        assertEquals(
                0, run("predict", "--model", model.toString(), png.toString()), err.toString());
        assertTrue(out.toString().startsWith(png + ":  " + label(0) + " ("), out.toString());
        assertEquals(3, out.toString().split("%").length - 1, "top 3: " + out);
    }

    @Test
    void aBlackOnWhiteJpegIsInvertedAndSaidSo() throws IOException {
        Path jpeg = picture(1, true, "jpg");
        assertEquals(
                0, run("predict", "--model", ExportedMnist.folder().toString(), jpeg.toString()));
        assertTrue(out.toString().startsWith(jpeg + ":  " + label(1) + " ("), out.toString());
        assertTrue(
                out.toString()
                        .contains("[inverted: dark digit on a light or transparent background]"));
    }

    @Test
    void theZipPredictsLikeTheFolder() throws IOException {
        Path png = picture(2, false, "png");
        run("predict", "--model", ExportedMnist.folder().toString(), png.toString());
        String fromFolder = out.toString();
        out.getBuffer().setLength(0);
        run("predict", "--model", ExportedMnist.zip().toString(), png.toString());
        assertEquals(fromFolder, out.toString());
    }

    @Test
    void aFileThatIsNotAnImageFailsWithOneLineNamingIt() throws IOException {
        Path bad = Files.writeString(tmp.resolve("digit.png"), "hello");
        assertEquals(
                1, run("predict", "--model", ExportedMnist.folder().toString(), bad.toString()));
        assertEquals(
                "nnkurs predict: "
                        + bad
                        + ": not an image (expected PNG or JPEG; GIF, BMP and TIFF work too)",
                err.toString().strip());
    }

    @Test
    void aWebpIsNamedAsSuchAndThePicturesAfterItAreStillClassified() throws IOException {
        // The first bytes of a WebP file: RIFF, a size, WEBP, then the VP8 chunk.
        byte[] webp =
                "RIFF\u0024\0\0\0WEBPVP8 \u0018\0\0\0"
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Path bad = Files.write(tmp.resolve("photo.webp"), webp);
        Path good = picture(0, false, "png");
        int code =
                run(
                        "predict",
                        "--model",
                        ExportedMnist.folder().toString(),
                        bad.toString(),
                        good.toString());
        assertEquals(1, code, "a picture failed, so the exit code says so");
        assertEquals(
                "nnkurs predict: "
                        + bad
                        + ": a WebP image, a format Java cannot decode; convert it to PNG or JPEG",
                err.toString().strip());
        assertTrue(out.toString().startsWith(good + ":  " + label(0) + " ("), out.toString());
    }

    @Test
    void aMissingModelIsAUsageError() throws IOException {
        Path png = picture(0, false, "png");
        assertEquals(2, run("predict", "--model", tmp.resolve("none").toString(), png.toString()));
        assertEquals(1, err.toString().lines().count(), err.toString());
    }

    @Test
    void aFolderThatIsNotAnExportIsNamed() throws IOException {
        Path png = picture(0, false, "png");
        Path folder = Files.createDirectories(tmp.resolve("plain"));
        assertEquals(1, run("predict", "--model", folder.toString(), png.toString()));
        assertTrue(err.toString().contains(folder + ": no serving.properties"), err.toString());
    }

    @Test
    void aMissingPictureIsAUsageError() throws IOException {
        Path missing = tmp.resolve("none.png");
        assertEquals(
                2,
                run("predict", "--model", ExportedMnist.folder().toString(), missing.toString()));
        assertTrue(err.toString().contains(missing + ": no such file"), err.toString());
    }

    @Test
    void aFolderGivenAsAPictureIsAUsageError() throws IOException {
        assertEquals(
                2, run("predict", "--model", ExportedMnist.folder().toString(), tmp.toString()));
        assertTrue(err.toString().contains(tmp + ": is a folder, not a file"), err.toString());
    }

    @Test
    void aPipeAndADeviceAreRefusedAndTheOtherPicturesAreStillClassified() throws Exception {
        Path fifo = tmp.resolve("drawing.png");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Path png = picture(0, false, "png");
        int code =
                run(
                        "predict",
                        "--model",
                        ExportedMnist.folder().toString(),
                        fifo.toString(),
                        "/dev/zero",
                        png.toString());
        assertEquals(1, code, err.toString());
        assertEquals(
                "nnkurs predict: "
                        + fifo
                        + ": not a regular file (a folder, a pipe or a device); expected a"
                        + " picture\n"
                        + "nnkurs predict: /dev/zero: not a regular file (a folder, a pipe or a"
                        + " device); expected a picture",
                err.toString().strip());
        assertTrue(out.toString().startsWith(png + ":  " + label(0) + " ("), out.toString());
    }

    @Test
    void aJpegStoredRotatedWithAnExifTagIsAnsweredAsTheUprightOne() throws Exception {
        // The same drawn 7, stored with each EXIF orientation (scripts/make_photo_fixtures.py).
        Path cases =
                Path.of(getClass().getResource("/photos/cases/orient-1.jpg").toURI()).getParent();
        List<String> args =
                new ArrayList<>(List.of("predict", "--model", ExportedMnist.folder().toString()));
        for (int o = 1; o <= 8; o++) {
            args.add(cases.resolve("orient-" + o + ".jpg").toString());
        }
        assertEquals(0, run(args.toArray(String[]::new)), err.toString());
        List<String> answers =
                out.toString()
                        .lines()
                        .map(l -> l.substring(l.indexOf(':') + 1, l.indexOf('(')))
                        .toList();
        assertEquals(8, answers.size(), out.toString());
        assertEquals(List.of("  7 "), answers.stream().distinct().toList(), out.toString());
    }
}
