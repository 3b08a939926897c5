package de.nnkurs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;

import de.nnkurs.data.IdxReader;
import de.nnkurs.data.InvalidDataException;
import de.nnkurs.export.ServingLoader;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.HiddenActivation;
import de.nnkurs.model.Models;
import de.nnkurs.model.StateDict;
import de.nnkurs.model.Variant;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Damaged and hostile files for every reader — truncated, bits flipped, a size field overwritten
 * with a huge or negative number, garbage behind a gzip header — run in a 256 MB heap: each read
 * either succeeds or ends in the reader's own one-line error naming the file; never an unchecked
 * exception, a hang or an OutOfMemoryError.
 */
class ReadersFuzzIT {

    private static Path dir;
    private static byte[] images;
    private static byte[] labels;
    private static byte[] gzipImages;
    private static byte[] npz;
    private static byte[] safetensors;
    private static byte[] zip;
    private static final Architecture SMALL =
            new Architecture(List.of(4), HiddenActivation.RELU, Variant.LOGITS);

    @BeforeContainer
    static void validFiles() throws IOException {
        dir = Files.createTempDirectory("fuzz");
        images = idx(new int[] {0x0803, 3, 28, 28}, new byte[3 * 784]);
        labels = idx(new int[] {0x0801, 3}, new byte[] {1, 2, 3});
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(images);
        }
        gzipImages = gz.toByteArray();
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Models.sequential(SMALL);
            Models.initialize(block, manager, 1);
            StateDict.save(block, dir.resolve("w.npz"));
            StateDict.save(block, dir.resolve("w.safetensors"));
        }
        npz = Files.readAllBytes(dir.resolve("w.npz"));
        safetensors = Files.readAllBytes(dir.resolve("w.safetensors"));
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(z)) {
            out.putNextEntry(new ZipEntry("mnist/serving.properties"));
            out.write("engine=PyTorch\nwidth=28\n".getBytes());
            out.closeEntry();
        }
        zip = z.toByteArray();
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        de.nnkurs.io.AtomicDirectory.deleteTree(dir);
    }

    private static byte[] idx(int[] header, byte[] payload) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (int h : header) {
            out.writeInt(h);
        }
        out.write(payload);
        return bytes.toByteArray();
    }

    /** One of three kinds of damage at a place in the file. */
    private static byte[] damaged(byte[] valid, int kind, double where, long value) {
        int at = (int) Math.min(valid.length - 1, Math.floor(where * valid.length));
        switch (kind) {
            case 0: // truncated
                return java.util.Arrays.copyOf(valid, at);
            case 1: // a few bits flipped
                {
                    byte[] b = valid.clone();
                    Random random = new Random(value);
                    for (int i = 0; i < 1 + random.nextInt(8); i++) {
                        int p = Math.min(b.length - 1, at + random.nextInt(16));
                        b[p] ^= (byte) (1 << random.nextInt(8));
                    }
                    return b;
                }
            default: // an 8-byte field overwritten, e.g. a size made huge or negative
                {
                    byte[] b = valid.clone();
                    byte[] v = ByteBuffer.allocate(8).putLong(value).array();
                    for (int i = 0; i < 8 && at + i < b.length; i++) {
                        b[at + i] = v[i];
                    }
                    return b;
                }
        }
    }

    interface Read {
        void run(Path file) throws IOException;
    }

    private static void endsInItsOwnError(String name, byte[] content, Read read)
            throws IOException {
        Path file = Files.write(dir.resolve(name), content);
        try {
            read.run(file);
        } catch (InvalidDataException e) {
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
        } catch (IOException e) {
            assertTrue(
                    e.getMessage() != null
                            && e.getMessage().contains(file.getFileName().toString()),
                    "an I/O error that names no file: " + e);
        } catch (RuntimeException | OutOfMemoryError e) {
            fail(name + ": " + e, e);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static long huge(long value) {
        long[] sizes = {Integer.MAX_VALUE, 0xFFFFFFFFL, -1, Long.MAX_VALUE, 2_000_000_000L, value};
        return sizes[(int) Math.floorMod(value, sizes.length)];
    }

    @Property(tries = 300)
    void idxImagesAndLabels(
            @ForAll @IntRange(min = 0, max = 2) int kind,
            @ForAll @DoubleRange(min = 0, max = 1) double where,
            @ForAll long value)
            throws IOException {
        endsInItsOwnError(
                "i.idx", damaged(images, kind, where, huge(value)), IdxReader::readImages);
        endsInItsOwnError(
                "l.idx",
                damaged(labels, kind, where, huge(value)),
                f -> IdxReader.readLabels(f, 10));
        endsInItsOwnError(
                "g.idx.gz", damaged(gzipImages, kind, where, huge(value)), IdxReader::readImages);
    }

    @Property(tries = 300)
    void npzAndSafetensorsWeights(
            @ForAll @IntRange(min = 0, max = 2) int kind,
            @ForAll @DoubleRange(min = 0, max = 1) double where,
            @ForAll long value)
            throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Models.sequential(SMALL);
            Models.initialize(block, manager, 1);
            endsInItsOwnError(
                    "w.npz", damaged(npz, kind, where, huge(value)), f -> StateDict.load(block, f));
            endsInItsOwnError(
                    "w.safetensors",
                    damaged(safetensors, kind, where, huge(value)),
                    f -> StateDict.load(block, f));
        }
    }

    @Property(tries = 300)
    void exportedZips(
            @ForAll @IntRange(min = 0, max = 2) int kind,
            @ForAll @DoubleRange(min = 0, max = 1) double where,
            @ForAll long value)
            throws IOException {
        endsInItsOwnError(
                "m.zip", damaged(zip, kind, where, huge(value)), ServingLoader::properties);
    }
}
