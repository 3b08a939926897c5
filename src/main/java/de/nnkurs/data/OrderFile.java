package de.nnkurs.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import de.nnkurs.io.AtomicFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The order of the training examples in each epoch, as an {@code .npz} that numpy reads: arrays
 * {@code epoch1}, {@code epoch2}, … of int64 indices. One side of the Java/Python comparison writes
 * it, the other reads it, so both see the same batches.
 */
public final class OrderFile {

    private OrderFile() {}

    /**
     * Writes the orders atomically.
     *
     * @param file the {@code .npz} to write
     * @param orders one permutation per epoch
     * @param manager the caller's manager, for the temporary arrays
     * @throws IOException if writing fails
     */
    public static void write(Path file, List<int[]> orders, NDManager manager) throws IOException {
        try (NDManager sub = manager.newSubManager()) {
            NDList list = new NDList();
            for (int e = 0; e < orders.size(); e++) {
                int[] order = orders.get(e);
                long[] wide = new long[order.length];
                for (int i = 0; i < order.length; i++) {
                    wide[i] = order[i];
                }
                NDArray array = sub.create(wide);
                array.setName("epoch" + (e + 1));
                list.add(array);
            }
            AtomicFile.write(file, out -> list.encode(out, NDList.Encoding.NPZ));
        }
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
