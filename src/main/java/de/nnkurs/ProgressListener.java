package de.nnkurs;

/** Hears how far a long piece of work has come, e.g. to draw a progress bar. */
@FunctionalInterface
public interface ProgressListener {

    /** Progress that nobody watches. */
    ProgressListener NONE = (done, total) -> {};

    /**
     * Reports that {@code done} of {@code total} units are finished.
     *
     * @param done finished units, from 1 to {@code total}
     * @param total all units
     */
    void update(int done, int total);
}
