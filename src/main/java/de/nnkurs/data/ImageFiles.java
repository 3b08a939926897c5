package de.nnkurs.data;

import de.nnkurs.serving.DigitPictures;
import de.nnkurs.serving.UnusablePictureException;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads digit pictures (PNG, JPEG, anything Java's ImageIO decodes) from files, completely or not
 * at all; {@link DigitPictures} does the decoding and says what is wrong, and the messages here
 * name the file.
 */
public final class ImageFiles {

    /** The largest picture accepted, checked from the header before decoding: 40 megapixels. */
    public static final long MAX_PIXELS = DigitPictures.MAX_PIXELS;

    private ImageFiles() {}

    /**
     * Reads a picture file's bytes, refusing anything that is not a regular file or is larger than
     * {@link DigitPictures#MAX_BYTES}.
     *
     * @param file the picture
     * @return all of its bytes
     * @throws InvalidDataException naming the file if it is missing, not a regular file (a FIFO, a
     *     device), too large, or changes size while it is read
     * @throws IOException if reading fails
     */
    public static byte[] readBytes(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new InvalidDataException(file, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidDataException(
                    file, "not a regular file (a folder, a pipe or a device); expected a picture");
        }
        long size = Files.size(file);
        if (size > DigitPictures.MAX_BYTES) {
            throw new InvalidDataException(
                    file,
                    size
                            + " bytes; a picture has at most "
                            + (DigitPictures.MAX_BYTES >> 20)
                            + " MB");
        }
        byte[] data;
        try (InputStream in = Files.newInputStream(file)) {
            data = in.readNBytes((int) size + 1);
        }
        if (data.length != size) {
            throw new InvalidDataException(
                    file,
                    "changed while it was read (" + size + " bytes, then " + data.length + ")");
        }
        return data;
    }

    /**
     * Reads and decodes a picture, checking its header's size before anything is decoded.
     *
     * @param file the picture
     * @return the decoded image, as stored (its EXIF orientation not applied)
     * @throws InvalidDataException naming the file if it is missing, not an image, claims too many
     *     pixels or cannot be decoded
     * @throws IOException if reading fails
     */
    public static BufferedImage read(Path file) throws IOException {
        byte[] data = readBytes(file);
        try {
            return DigitPictures.decode(data);
        } catch (UnusablePictureException e) {
            throw new InvalidDataException(file, e.getMessage());
        }
    }
}
