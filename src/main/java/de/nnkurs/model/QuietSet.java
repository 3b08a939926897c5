package de.nnkurs.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Keeps libtorch's deprecation notice for {@code NDArray.set(ByteBuffer)} out of the console.
 *
 * <p>DJL's native {@code set} guards itself with libtorch's {@code AutoNonVariableTypeMode}, whose
 * constructor prints "Warning: AutoNonVariableTypeMode is deprecated …" to standard error, once per
 * process. The notice is about DJL's C++ code, not about anything a user of nnkurs can change, so
 * the first {@code set} of the process is made on a one-number array while the process's standard
 * error points to {@code /dev/null}; every later {@code set} is silent anyway. Where the C library
 * cannot be reached (not Linux or macOS), the notice is printed as it would be.
 */
final class QuietSet {

    private static boolean done;

    private QuietSet() {}

    /** Makes the process's first {@code set(ByteBuffer)}, with standard error muted, once. */
    static synchronized void prime(NDManager manager) {
        if (done) {
            return;
        }
        done = true;
        ByteBuffer one = ByteBuffer.allocateDirect(Float.BYTES).order(ByteOrder.nativeOrder());
        try (NDArray scratch = manager.zeros(new Shape(1), DataType.FLOAT32)) {
            C c = libc();
            int saved = c == null ? -1 : c.dup(STDERR);
            int devNull = saved < 0 ? -1 : c.open("/dev/null", O_WRONLY);
            if (devNull < 0 || c.dup2(devNull, STDERR) < 0) {
                scratch.set(one); // the notice shows, as without this class
                return;
            }
            try {
                scratch.set(one);
            } finally {
                c.dup2(saved, STDERR);
                c.close(saved);
                c.close(devNull);
            }
        }
    }

    private static final int STDERR = 2;
    private static final int O_WRONLY = 1;

    private static C libc() {
        try {
            return Native.load("c", C.class);
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }

    /** The few C library calls needed to point standard error elsewhere for a moment. */
    interface C extends Library {
        int dup(int fd);

        int dup2(int from, int to);

        int open(String path, int flags);

        int close(int fd);
    }
}
