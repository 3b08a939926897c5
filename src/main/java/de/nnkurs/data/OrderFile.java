package de.nnkurs.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import de.nnkurs.InvalidSettingException;
import de.nnkurs.io.AtomicFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The order of the training examples in each epoch, as an {@code .npz} that numpy reads: arrays
 * {@code epoch1}, {@code epoch2}, … of int64 indices. One side of the Java/Python comparison writes
 * it, the other reads it, so both see the same batches.
 */
public final class OrderFile {

    /**
     * The most indices (epochs × training examples) an order file may hold: 20 million, e.g. 333
     * epochs of MNIST's 60,000 examples, a file of 160 MB that the run reads back whole.
     */
    public static final long MAX_INDICES = 20_000_000L;

    private OrderFile() {}

    /**
     * Fails unless the orders of this many epochs fit into an order file.
     *
     * @param setting the setting that names the file, e.g. {@code save-order}
     * @param epochs the run's epochs
     * @param count the training examples per epoch
     * @throws InvalidSettingException naming the setting, the product and the bound
     */
    public static void checkSize(String setting, int epochs, int count) {
        long indices = (long) epochs * count;
        if (indices > MAX_INDICES) {
            throw new InvalidSettingException(
                    setting,
                    "cannot hold "
                            + epochs
                            + " epochs of "
                            + count
                            + " examples ("
                            + indices
                            + " indices): an order file holds at most "
                            + MAX_INDICES
                            + ", "
                            + Math.max(1, MAX_INDICES / Math.max(1, count))
                            + " epochs of "
                            + count);
        }
    }

    /**
     * Writes the orders atomically.
     *
     * @param file the {@code .npz} to write
     * @param orders one permutation per epoch
     * @param manager unused; kept for callers of the earlier version
     * @throws IOException if writing fails
     */
    public static void write(Path file, List<int[]> orders, NDManager manager) throws IOException {
        int[] next = {0};
        write(
                file,
                orders.size(),
                orders.isEmpty() ? 0 : orders.get(0).length,
                count -> {
                    return orders.get(next[0]++);
                });
    }

    /**
     * Writes the sampler's next {@code epochs} orders atomically, one epoch at a time: only one
     * epoch's order is in memory at once, however many epochs there are.
     *
     * @param file the {@code .npz} to write: arrays {@code epoch1}, {@code epoch2}, … of int64
     * @param epochs the number of orders to draw
     * @param count the training examples each order permutes
     * @param sampler draws each epoch's order
     * @throws IOException naming the file if writing fails
     */
    public static void write(Path file, int epochs, int count, Sampler sampler) throws IOException {
        AtomicFile.write(
                file,
                out -> {
                    ZipOutputStream zip = new ZipOutputStream(out);
                    ByteBuffer buffer =
                            ByteBuffer.allocate(8 * 8192).order(ByteOrder.LITTLE_ENDIAN);
                    for (int e = 1; e <= epochs; e++) {
                        int[] order = sampler.nextEpoch(count);
                        if (order.length != count) {
                            throw new IllegalStateException(
                                    "epoch order has " + order.length + " entries for " + count);
                        }
                        zip.putNextEntry(new ZipEntry("epoch" + e + ".npy"));
                        zip.write(npyHeader(count));
                        for (int i = 0; i < order.length; i++) {
                            if (!buffer.hasRemaining()) {
                                zip.write(buffer.array(), 0, buffer.position());
                                buffer.clear();
                            }
                            buffer.putLong(order[i]);
                        }
                        zip.write(buffer.array(), 0, buffer.position());
                        buffer.clear();
                        zip.closeEntry();
                    }
                    zip.finish();
                });
    }

    /** Returns a version 1.0 {@code .npy} header of a 1-d little-endian int64 array. */
    private static byte[] npyHeader(int length) {
        String dict = "{'descr': '<i8', 'fortran_order': False, 'shape': (" + length + ",), }";
        int unpadded = 6 + 2 + 2 + dict.length() + 1; // magic, version, length, dict, newline
        int padded = (unpadded + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - unpadded) + "\n";
        ByteBuffer b = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII));
        b.put((byte) 1).put((byte) 0);
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    /**
     * Reads and checks the orders.
     *
     * @param file the {@code .npz}
     * @param count the number of training examples each order must permute
     * @param epochs the number of epochs that must be present
     * @param manager the caller's manager, for the temporary arrays
     * @return one permutation per epoch
     * @throws InvalidDataException naming the file if it is missing, unreadable, too short or not a
     *     permutation of {@code 0..count-1}
     * @throws IOException if reading fails
     */
    public static List<int[]> read(Path file, int count, int epochs, NDManager manager)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidDataException(file, "no such file");
        }
        long indices = (long) epochs * count;
        if (indices > MAX_INDICES) {
            throw new InvalidDataException(
                    file,
                    "would hold "
                            + indices
                            + " indices for "
                            + epochs
                            + " epochs of "
                            + count
                            + ", more than the "
                            + MAX_INDICES
                            + " an order file may hold");
        }
        try (NDManager sub = manager.newSubManager()) {
            Map<String, NDArray> byName = ArrayFiles.read(file, sub);
            List<int[]> orders = new ArrayList<>();
            for (int e = 1; e <= epochs; e++) {
                NDArray a = byName.get("epoch" + e);
                if (a == null) {
                    throw new InvalidDataException(
                            file,
                            "has no array epoch" + e + "; training needs " + epochs + " epoch(s)");
                }
                if (!a.getDataType().isInteger() || a.getShape().dimension() != 1) {
                    throw new InvalidDataException(
                            file,
                            "epoch"
                                    + e
                                    + " is "
                                    + a.getDataType()
                                    + " "
                                    + a.getShape()
                                    + ", not a list of integer indices");
                }
                long[] wide = a.toType(DataType.INT64, false).toLongArray();
                checkPermutation(file, "epoch" + e, wide, count);
                int[] order = new int[wide.length];
                for (int i = 0; i < order.length; i++) {
                    order[i] = (int) wide[i]; // checked: 0 <= wide[i] < count
                }
                orders.add(order);
            }
            return orders;
        }
    }

    private static void checkPermutation(Path file, String name, long[] order, int count)
            throws InvalidDataException {
        if (order.length != count) {
            throw new InvalidDataException(
                    file, name + " has " + order.length + " indices, the training set " + count);
        }
        boolean[] seen = new boolean[count];
        for (int i = 0; i < order.length; i++) {
            long index = order[i];
            if (index < 0 || index >= count || seen[(int) index]) {
                throw new InvalidDataException(
                        file, name + " is not a permutation: index " + index + " at position " + i);
            }
            seen[(int) index] = true;
        }
    }
}
