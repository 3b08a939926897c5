package de.nnkurs.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

/** Digit pictures: decoded safely, and brought to MNIST's light-on-dark convention. */
class ImageFilesTest {

    @TempDir Path tmp;

    private static BufferedImage digit(Color background, Color ink, int type) {
        BufferedImage image = new BufferedImage(40, 40, type);
        Graphics2D g = image.createGraphics();
        g.setColor(background);
        g.fillRect(0, 0, 40, 40);
        g.setColor(ink);
        g.fillRect(17, 8, 6, 24);
        g.dispose();
        return image;
    }

    private Path png(String name, BufferedImage image) throws IOException {
        Path file = tmp.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private static String message(Path file) {
        return assertThrows(InvalidDataException.class, () -> ImageFiles.read(file)).getMessage();
    }

    @Test
    void readsAPng() throws IOException {
        Path file = png("d.png", digit(Color.BLACK, Color.WHITE, BufferedImage.TYPE_INT_RGB));
        assertEquals(40, ImageFiles.read(file).getWidth());
    }

    @Test
    void rejectsAMissingFile() {
        Path file = tmp.resolve("none.png");
        assertTrue(message(file).equals(file + ": no such file"));
    }

    @Test
    void rejectsAFileThatIsNotAnImage() throws IOException {
        Path file = Files.writeString(tmp.resolve("notes.png"), "not a picture");
        assertEquals(
                file + ": not an image (expected PNG or JPEG; GIF, BMP and TIFF work too)",
                message(file));
    }

    @Test
    void rejectsAnUndecodableImage() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(digit(Color.BLACK, Color.WHITE, BufferedImage.TYPE_INT_RGB), "png", bytes);
        byte[] png = bytes.toByteArray();
        for (int i = 40; i < png.length - 12; i++) {
            png[i] = (byte) 0x5a; // scramble the compressed pixel data, keep the header
        }
        Path file = Files.write(tmp.resolve("broken.png"), png);
        assertTrue(message(file).startsWith(file + ": cannot decode the image"), message(file));
    }

    @Test
    void rejectsAHeaderClaimingAHundredThousandSquarePixelsBeforeDecoding() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(digit(Color.BLACK, Color.WHITE, BufferedImage.TYPE_BYTE_GRAY), "png", bytes);
        byte[] png = bytes.toByteArray();
        // IHDR data starts at byte 16: width, height; its CRC follows the 13 data bytes.
        ByteBuffer.wrap(png, 16, 8).putInt(100_000).putInt(100_000);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        ByteBuffer.wrap(png, 29, 4).putInt((int) crc.getValue());
        Path file = Files.write(tmp.resolve("huge.png"), png);
        assertEquals(
                file
                        + ": image header claims 100000×100000 pixels; at most 40 megapixels are"
                        + " accepted",
                message(file));
    }
}
