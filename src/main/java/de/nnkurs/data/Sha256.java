package de.nnkurs.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files, as lowercase hex. */
public final class Sha256 {

    private Sha256() {}

    /**
     * Returns the sha256 of a file's bytes.
     *
     * @param file the file
     * @return 64 lowercase hex digits
     * @throws IOException if reading fails
     */
    public static String of(Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Copies a stream to a file and returns the sha256 of what was written.
     *
     * @param in the source, read to its end and left open
     * @param out the file to write
     * @return 64 lowercase hex digits
     * @throws IOException if reading or writing fails
     */
    public static String copy(InputStream in, Path out) throws IOException {
        MessageDigest digest = newDigest();
        try (OutputStream os = new DigestOutputStream(Files.newOutputStream(out), digest)) {
            in.transferTo(os);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
