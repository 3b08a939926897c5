package de.nnkurs.data;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads digit pictures (PNG, JPEG, anything Java's ImageIO decodes) safely and brings them into
 * MNIST's convention: a light digit on a dark background.
 */
public final class ImageFiles {

    /** The largest picture accepted, checked from the header before decoding: 40 megapixels. */
    public static final long MAX_PIXELS = 40_000_000L;

    private ImageFiles() {}

    /** A decoded picture and whether it was inverted to match MNIST. */
    public record Digit(BufferedImage image, boolean inverted) {}

    /**
     * Reads a picture, checking its header's size before anything is decoded.
     *
     * @param file the picture
     * @return the decoded image
     * @throws InvalidDataException naming the file if it is missing, not an image, claims too many
     *     pixels or cannot be decoded
     * @throws IOException if reading fails
     */
    public static BufferedImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidDataException(file, "no such file");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                String known = unsupportedFormat(file);
                throw new InvalidDataException(
                        file,
                        known == null
                                ? "not an image (expected PNG or JPEG; GIF, BMP and TIFF work too)"
                                : known
                                        + " image, a format Java cannot decode; convert it to PNG"
                                        + " or JPEG");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width;
                long height;
                try {
                    width = reader.getWidth(0);
                    height = reader.getHeight(0);
                } catch (IOException | RuntimeException e) {
                    throw new InvalidDataException(
                            file, "unreadable image header (" + detail(e) + ")");
                }
                if (width < 1 || height < 1 || width * height > MAX_PIXELS) {
                    throw new InvalidDataException(
                            file,
                            String.format(
                                    Locale.ROOT,
                                    "image header claims %d×%d pixels; at most %d megapixels are"
                                            + " accepted",
                                    width,
                                    height,
                                    MAX_PIXELS / 1_000_000));
                }
                try {
                    return reader.read(0);
                } catch (IOException | RuntimeException e) {
                    throw new InvalidDataException(
                            file, "cannot decode the image (" + detail(e) + ")");
                }
            } finally {
                reader.dispose();
            }
        }
    }

    /** Names an image format that ImageIO cannot read, from the file's first bytes, or null. */
    private static String unsupportedFormat(Path file) throws IOException {
        byte[] head = new byte[32];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        String ascii = new String(head, 0, n, StandardCharsets.ISO_8859_1);
        if (ascii.startsWith("RIFF") && ascii.startsWith("WEBP", 8)) {
            return "a WebP";
        }
        if (ascii.startsWith("ftyp", 4)) {
            String brand = ascii.length() >= 12 ? ascii.substring(8, 12) : "";
            if (brand.startsWith("avi")) {
                return "an AVIF";
            }
            if (brand.startsWith("hei") || brand.startsWith("mif") || brand.startsWith("hev")) {
                return "a HEIC";
            }
        }
        String text = ascii.stripLeading();
        if (text.startsWith("<svg") || text.startsWith("<?xml")) {
            return "an SVG";
        }
        return null;
    }

    /**
     * Reads a picture and makes it look like MNIST: transparent parts become white paper, and a
     * dark digit on a light background (a scan, a drawing) is inverted.
     *
     * @param file the picture
     * @return the image to classify and whether it was inverted
     * @throws IOException as {@link #read(Path)}
     */
    public static Digit readDigit(Path file) throws IOException {
        BufferedImage image = flatten(read(file));
        if (borderBrightness(image) > 127) {
            return new Digit(invert(image), true);
        }
        return new Digit(image, false);
    }

    /** Returns the mean gray level (0–255) of the outermost pixel frame: MNIST's is near 0. */
    static double borderBrightness(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        double sum = 0;
        int n = 0;
        for (int x = 0; x < w; x++) {
            sum += gray(image, x, 0) + gray(image, x, h - 1);
            n += 2;
        }
        for (int y = 1; y < h - 1; y++) {
            sum += gray(image, 0, y) + gray(image, w - 1, y);
            n += 2;
        }
        return sum / n;
    }

    /** Gray level as DJL's translator computes it: raw bytes for gray images, else luminance. */
    private static double gray(BufferedImage image, int x, int y) {
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            return image.getRaster().getSample(x, y, 0);
        }
        int rgb = image.getRGB(x, y);
        return 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
    }

    /** Draws an image with transparency onto white; opaque images are returned as they are. */
    private static BufferedImage flatten(BufferedImage image) {
        if (!image.getColorModel().hasAlpha()) {
            return image;
        }
        BufferedImage rgb =
                new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    private static BufferedImage invert(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            // Invert the raw samples: getRGB would pass them through a gamma conversion.
            BufferedImage out =
                    new BufferedImage(
                            image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    out.getRaster().setSample(x, y, 0, 255 - image.getRaster().getSample(x, y, 0));
                }
            }
            return out;
        }
        BufferedImage out =
                new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                out.setRGB(x, y, ~image.getRGB(x, y) & 0xffffff);
            }
        }
        return out;
    }

    private static String detail(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
