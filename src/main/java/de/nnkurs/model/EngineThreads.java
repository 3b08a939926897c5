package de.nnkurs.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

import de.nnkurs.InvalidSettingException;

/**
 * libtorch's intra-op thread count. The lesson chooses it per network ({@link
 * Architecture#trainingThreads}) so that a run gives the same floats from the command line, JShell
 * or a notebook; a count fixed by the user ({@code -Dai.djl.pytorch.num_threads=N} or {@link #fix})
 * wins.
 */
public final class EngineThreads {

    /** The system property DJL's PyTorch engine reads when it starts. */
    public static final String PROPERTY = "ai.djl.pytorch.num_threads";

    /** The most threads accepted. */
    public static final int MAX = 256;

    private EngineThreads() {}

    /**
     * Fixes the thread count for the rest of this process, e.g. for {@code --threads}: the engine
     * starts with it, and every later run uses it instead of the lesson's choice.
     *
     * @param n threads, 1 to {@value #MAX}
     * @throws InvalidSettingException (setting {@code threads}) if {@code n} is out of range
     */
    public static void fix(int n) {
        check(n);
        System.setProperty(PROPERTY, Integer.toString(n));
    }

    /**
     * Returns the count for work on this network: the user's if fixed, else the lesson's choice.
     *
     * @param architecture the network
     * @return threads, at least 1
     */
    public static int chosenFor(Architecture architecture) {
        String fixed = System.getProperty(PROPERTY);
        if (fixed != null) {
            int n;
            try {
                n = Integer.parseInt(fixed.strip());
            } catch (NumberFormatException e) {
                throw new InvalidSettingException(
                        "threads", PROPERTY + " must be a number, got " + fixed);
            }
            check(n);
            return n;
        }
        return architecture.trainingThreads(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Sets libtorch's thread count for the work that follows on this thread.
     *
     * @param n threads, at least 1 (also a count found before, which may exceed {@value #MAX})
     * @return the count before, to restore it afterwards
     */
    public static int use(int n) {
        if (n < 1) {
            throw new InvalidSettingException("threads", "must be at least 1, got " + n);
        }
        Engine.getEngine("PyTorch"); // starts the engine, which reads PROPERTY first
        int before = JniUtils.getNumThreads();
        if (before != n) {
            JniUtils.setNumThreads(n);
        }
        return before;
    }

    /**
     * Checks a thread count.
     *
     * @param n threads
     * @throws InvalidSettingException (setting {@code threads}) unless 1 ≤ n ≤ {@value #MAX}
     */
    public static void check(int n) {
        if (n < 1 || n > MAX) {
            throw new InvalidSettingException("threads", "must be in 1.." + MAX + ", got " + n);
        }
    }
}
