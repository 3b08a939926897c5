package de.nnkurs.serving;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Turns any picture of one digit into the 28×28 picture MNIST's network expects: EXIF orientation
 * applied, gray, light on dark, and (unless it already is 28×28) the digit found, scaled into 20×20
 * and centred by its centre of mass, as MNIST was made. {@code docs/pictures.md} gives every step
 * with its rounding; a test compares the result with a numpy implementation of those steps.
 */
public final class DigitPictures {

    /** The side of the network's input picture. */
    public static final int SIDE = 28;

    /** The side of the box the digit is scaled into, as in MNIST. */
    public static final int BOX = 20;

    /** The largest picture accepted, checked from the header before decoding: 40 megapixels. */
    public static final long MAX_PIXELS = 40_000_000L;

    /** The largest encoded picture accepted: 64 MB, DJL Serving's default request limit. */
    public static final int MAX_BYTES = 64 << 20;

    /** Below this difference between the brightest pixel and the frame there is no digit. */
    static final int MIN_CONTRAST = 32;

    /** Pixels at least this bright (after the levels are stretched) make up the digit's box. */
    static final int INK = 128;

    /** Pixels converted to gray per step: bounds the buffer for very wide pictures. */
    private static final int CHUNK = 4096;

    /** Where MNIST puts the centre of mass: pixel 14 of 0–27 on each axis. */
    private static final long CENTRE = 14;

    private DigitPictures() {}

    /**
     * The picture the network sees.
     *
     * @param pixels 28×28 gray bytes, row by row, a light digit on dark ground
     * @param inverted whether the picture was dark on light and was inverted
     */
    public record Prepared(byte[] pixels, boolean inverted) {
        /** Checks the size. */
        public Prepared {
            if (pixels.length != SIDE * SIDE) {
                throw new IllegalArgumentException(
                        "a prepared picture has " + SIDE * SIDE + " pixels, not " + pixels.length);
            }
        }

        /** Equal when the pixels and the inversion are. */
        @Override
        public boolean equals(Object other) {
            return other instanceof Prepared p
                    && p.inverted == inverted
                    && java.util.Arrays.equals(p.pixels, pixels);
        }

        @Override
        public int hashCode() {
            return 31 * java.util.Arrays.hashCode(pixels) + Boolean.hashCode(inverted);
        }

        @Override
        public String toString() {
            return "Prepared[" + SIDE + "×" + SIDE + (inverted ? ", inverted]" : "]");
        }

        /** Returns the picture as a 28×28 8-bit gray image. */
        public BufferedImage toImage() {
            return toImage(1);
        }

        /**
         * Returns the picture as an 8-bit gray image, each pixel a square of {@code scale}×{@code
         * scale}, e.g. to show it.
         *
         * @param scale 1–64
         * @return a {@code 28·scale} square image
         */
        public BufferedImage toImage(int scale) {
            if (scale < 1 || scale > 64) {
                throw new IllegalArgumentException("scale " + scale + ": expected 1 to 64");
            }
            int side = SIDE * scale;
            byte[] big = new byte[side * side];
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    big[y * side + x] = pixels[(y / scale) * SIDE + x / scale];
                }
            }
            BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setDataElements(0, 0, side, side, big);
            return image;
        }
    }

    /**
     * Decodes a picture and prepares it: the whole way from a request's bytes.
     *
     * @param data PNG, JPEG, GIF, BMP or TIFF bytes
     * @param invert whether a dark digit on light ground is inverted
     * @return the network's picture
     * @throws UnusablePictureException saying why the bytes are not a usable picture of a digit
     */
    public static Prepared prepare(byte[] data, Invert invert) throws UnusablePictureException {
        return prepare(decode(data), Exif.orientation(data), invert);
    }

    /**
     * Decodes a picture, checking its header's size before anything is decoded.
     *
     * @param data the encoded picture
     * @return the decoded image (its EXIF orientation not applied: see {@link #orientation})
     * @throws UnusablePictureException if it is not a picture Java decodes, claims too many pixels
     *     or is damaged
     */
    public static BufferedImage decode(byte[] data) throws UnusablePictureException {
        if (data.length > MAX_BYTES) {
            throw new UnusablePictureException(
                    data.length + " bytes; a picture has at most " + (MAX_BYTES >> 20) + " MB");
        }
        if (data.length == 0) {
            throw new UnusablePictureException("empty: no picture");
        }
        // In memory: ImageIO's default would cache the stream in a temporary file.
        try (ImageInputStream in =
                new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                String known = unsupportedFormat(data);
                throw new UnusablePictureException(
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
                    throw new UnusablePictureException(
                            "unreadable image header (" + detail(e) + ")");
                }
                if (width < 1 || height < 1 || width * height > MAX_PIXELS) {
                    throw new UnusablePictureException(
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
                } catch (OutOfMemoryError e) {
                    throw new UnusablePictureException(
                            "cannot decode the image (" + detail(new IOException(e)) + ")");
                } catch (IOException | RuntimeException e) {
                    throw new UnusablePictureException(
                            "cannot decode the image (" + detail(e) + ")");
                }
            } finally {
                reader.dispose();
            }
        } catch (UnusablePictureException e) {
            throw e;
        } catch (IOException e) {
            throw new UnusablePictureException("cannot read the image (" + detail(e) + ")");
        }
    }

    /**
     * Returns the EXIF orientation an encoded picture declares (JPEG or PNG).
     *
     * @param data the encoded picture
     * @return 1 (as stored) to 8; 1 where there is no readable tag
     */
    public static int orientation(byte[] data) {
        return Exif.orientation(data);
    }

    /**
     * Prepares a decoded picture: orientation, gray, inversion, then (unless it is 28×28) the digit
     * found, scaled into 20×20 and centred by its centre of mass.
     *
     * @param image the decoded picture
     * @param orientation its EXIF orientation, 1–8 (other values count as 1)
     * @param invert whether a dark digit on light ground is inverted
     * @return the network's picture
     * @throws UnusablePictureException if a picture of another size than 28×28 holds no digit
     */
    public static Prepared prepare(BufferedImage image, int orientation, Invert invert)
            throws UnusablePictureException {
        Gray gray = orient(gray(image), orientation);
        long[] frame = gray.frame();
        boolean inverted = invert == Invert.AUTO && frame[0] > 127 * frame[1]; // mean above 127
        if (inverted) {
            byte[] v = gray.values;
            for (int i = 0; i < v.length; i++) {
                v[i] = (byte) (255 - (v[i] & 0xFF));
            }
        }
        if (gray.width == SIDE && gray.height == SIDE) {
            return new Prepared(gray.values, inverted);
        }
        return new Prepared(centre(gray), inverted);
    }

    /** A gray picture, row by row. */
    private record Gray(byte[] values, int width, int height) {
        int at(int x, int y) {
            return values[y * width + x] & 0xFF;
        }

        /** The sum and the count of the outermost frame of pixels (each pixel counted once). */
        long[] frame() {
            long sum = 0;
            long n = 0;
            for (int x = 0; x < width; x++) {
                sum += at(x, 0);
                n++;
                if (height > 1) {
                    sum += at(x, height - 1);
                    n++;
                }
            }
            if (width > 1) {
                for (int y = 1; y < height - 1; y++) {
                    sum += at(0, y) + at(width - 1, y);
                    n += 2;
                }
            } else {
                for (int y = 1; y < height - 1; y++) {
                    sum += at(0, y);
                    n++;
                }
            }
            return new long[] {sum, n};
        }
    }

    /** Gray levels: raw samples of gray pictures, else PIL's {@code convert("L")} on white. */
    private static Gray gray(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h];
        Raster raster = image.getRaster();
        if (image.getColorModel() instanceof ComponentColorModel model
                && model.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && raster.getNumBands() <= 2) {
            // Gray (with alpha): the stored levels, not getRGB's gamma-converted ones.
            int shift = Math.max(0, model.getComponentSize(0) - 8);
            boolean alpha = raster.getNumBands() == 2;
            int alphaMax = alpha ? (1 << model.getComponentSize(1)) - 1 : 1;
            int bands = raster.getNumBands();
            int[] row = new int[Math.min(w, CHUNK) * bands];
            for (int y = 0; y < h; y++) {
                for (int x0 = 0; x0 < w; x0 += CHUNK) {
                    int n = Math.min(CHUNK, w - x0);
                    raster.getPixels(x0, y, n, 1, row);
                    for (int i = 0; i < n; i++) {
                        int v = row[i * bands] >> shift;
                        if (alpha) {
                            v = onWhite(v, row[i * 2 + 1] * 255 / alphaMax);
                        }
                        out[y * w + x0 + i] = (byte) v;
                    }
                }
            }
            return new Gray(out, w, h);
        }
        // In pieces of a row: a 1×40,000,000 picture must not need a 160 MB buffer here.
        int[] argb = new int[Math.min(w, CHUNK)];
        for (int y = 0; y < h; y++) {
            for (int x0 = 0; x0 < w; x0 += CHUNK) {
                int n = Math.min(CHUNK, w - x0);
                image.getRGB(x0, y, n, 1, argb, 0, n);
                for (int i = 0; i < n; i++) {
                    int p = argb[i];
                    int a = p >>> 24;
                    int r = onWhite((p >> 16) & 0xFF, a);
                    int g = onWhite((p >> 8) & 0xFF, a);
                    int b = onWhite(p & 0xFF, a);
                    out[y * w + x0 + i] =
                            (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
                }
            }
        }
        return new Gray(out, w, h);
    }

    /** A level with opacity {@code a} (0–255) drawn onto white, rounded. */
    private static int onWhite(int c, int a) {
        if (a == 255) {
            return c;
        }
        return (c * a + 255 * (255 - a) + 127) / 255;
    }

    /** Applies an EXIF orientation as PIL's {@code ImageOps.exif_transpose} does. */
    private static Gray orient(Gray in, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return in;
        }
        int w = in.width;
        int h = in.height;
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] out = new byte[w * h];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> {
                        sx = w - 1 - x;
                        sy = y;
                    }
                    case 3 -> {
                        sx = w - 1 - x;
                        sy = h - 1 - y;
                    }
                    case 4 -> {
                        sx = x;
                        sy = h - 1 - y;
                    }
                    case 5 -> {
                        sx = y;
                        sy = x;
                    }
                    case 6 -> {
                        sx = y;
                        sy = h - 1 - x;
                    }
                    case 7 -> {
                        sx = w - 1 - y;
                        sy = h - 1 - x;
                    }
                    default -> { // 8
                        sx = w - 1 - y;
                        sy = x;
                    }
                }
                out[y * ow + x] = in.values[sy * w + sx];
            }
        }
        return new Gray(out, ow, oh);
    }

    /**
     * Stretches the levels, finds the digit's box, scales it into 20×20 and centres it. All in
     * integers: every rounding is exact, as the numpy reference computes it.
     */
    private static byte[] centre(Gray gray) throws UnusablePictureException {
        int w = gray.width;
        int h = gray.height;
        long[] frame = gray.frame();
        long sum = frame[0];
        long n = frame[1]; // bg = sum / n
        int hi = 0;
        for (byte b : gray.values) {
            hi = Math.max(hi, b & 0xFF);
        }
        long range = hi * n - sum; // (hi − bg) · n
        if (range < MIN_CONTRAST * n) {
            throw new UnusablePictureException(
                    String.format(
                            Locale.ROOT,
                            "no digit found: the picture is one flat shade (its brightest pixel"
                                    + " is %.0f levels above its border; at least %d needed)",
                            Math.max(0, (double) range / n),
                            MIN_CONTRAST));
        }
        // Levels: floor((v − bg) · 255 / (hi − bg) + 0.5), clamped; the frame becomes black.
        byte[] v = new byte[w * h]; // bytes, not ints: a 40-megapixel picture stays at 40 MB
        int x0 = w;
        int y0 = h;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                long num = (gray.at(x, y) * n - sum) * 255;
                long level = Math.floorDiv(2 * num + range, 2 * range);
                int value = (int) Math.max(0, Math.min(255, level));
                v[y * w + x] = (byte) value;
                if (value >= INK) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        int bw = x1 - x0 + 1;
        int bh = y1 - y0 + 1;
        int longer = Math.max(bw, bh);
        int ow = Math.max(1, (2 * bw * BOX + longer) / (2 * longer));
        int oh = Math.max(1, (2 * bh * BOX + longer) / (2 * longer));
        int[] box = areaResize(v, w, x0, y0, bw, bh, ow, oh);

        // Into 28×28, the box centred, then moved so that the centre of mass is at pixel 14.
        int left = (SIDE - ow) / 2;
        int top = (SIDE - oh) / 2;
        long mass = 0;
        long mx = 0;
        long my = 0;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int value = box[y * ow + x];
                mass += value;
                mx += (long) (left + x) * value;
                my += (long) (top + y) * value;
            }
        }
        if (mass > 0) {
            // floor(14 − m / mass + 0.5), exactly
            left += (int) Math.floorDiv(2 * (CENTRE * mass - mx) + mass, 2 * mass);
            top += (int) Math.floorDiv(2 * (CENTRE * mass - my) + mass, 2 * mass);
            left = Math.max(0, Math.min(SIDE - ow, left));
            top = Math.max(0, Math.min(SIDE - oh, top));
        }
        byte[] out = new byte[SIDE * SIDE];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                out[(top + y) * SIDE + left + x] = (byte) box[y * ow + x];
            }
        }
        return out;
    }

    /**
     * Scales a box of {@code v} to {@code ow×oh}: each output pixel is the exact area-weighted mean
     * of the input pixels it covers, rounded half up. Lengths are counted in units of 1/{@code ow}
     * (1/{@code oh}) of a pixel, so every weight is a whole number and the sums are exact.
     */
    private static int[] areaResize(
            byte[] v, int stride, int x0, int y0, int bw, int bh, int ow, int oh) {
        int[][] wx = weights(bw, ow);
        int[][] wy = weights(bh, oh);
        long[] rows = new long[bh * ow]; // horizontal pass: weighted sums
        for (int y = 0; y < bh; y++) {
            int base = (y0 + y) * stride + x0;
            for (int j = 0; j < ow; j++) {
                int[] wj = wx[j];
                long total = 0;
                for (int k = 1; k < wj.length; k++) {
                    total += (long) wj[k] * (v[base + wj[0] + k - 1] & 0xFF);
                }
                rows[y * ow + j] = total;
            }
        }
        long area = (long) bw * bh; // each output pixel's weights add up to bw · bh
        int[] out = new int[ow * oh];
        for (int i = 0; i < oh; i++) {
            int[] wi = wy[i];
            for (int j = 0; j < ow; j++) {
                long total = 0;
                for (int k = 1; k < wi.length; k++) {
                    total += wi[k] * rows[(wi[0] + k - 1) * ow + j];
                }
                long mean = (2 * total + area) / (2 * area);
                out[i * ow + j] = (int) Math.min(255, mean);
            }
        }
        return out;
    }

    /**
     * For each of {@code n} output pixels over {@code size} input pixels: the first input pixel it
     * covers, then how much of each covered input pixel it covers, in units of 1/n pixel (output
     * pixel i spans [i·size, (i+1)·size), input pixel p spans [p·n, (p+1)·n)).
     */
    private static int[][] weights(int size, int n) {
        int[][] out = new int[n][];
        for (int i = 0; i < n; i++) {
            long from = (long) i * size;
            long to = (long) (i + 1) * size;
            int first = (int) (from / n);
            int last = (int) ((to - 1) / n);
            int[] w = new int[last - first + 2];
            w[0] = first;
            for (int p = first; p <= last; p++) {
                w[p - first + 1] =
                        (int) (Math.min(to, (long) (p + 1) * n) - Math.max(from, (long) p * n));
            }
            out[i] = w;
        }
        return out;
    }

    /** Names an image format that ImageIO cannot read, from the first bytes, or null. */
    static String unsupportedFormat(byte[] data) {
        String ascii = new String(data, 0, Math.min(32, data.length), StandardCharsets.ISO_8859_1);
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

    private static String detail(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return String.format(
                        Locale.ROOT,
                        "not enough memory to decode it in this Java's %d MB heap; give Java more"
                                + " with -Xmx or send a smaller picture",
                        Runtime.getRuntime().maxMemory() >> 20);
            }
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
