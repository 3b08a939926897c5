package de.nnkurs.data;

import java.io.IOException;

/**
 * A data file that is missing, malformed or does not fit the lesson; the message names the file.
 */
public class InvalidDataException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception for one file.
     *
     * @param file the file at fault, as the user would recognise it
     * @param problem what is wrong with it, in a short clause
     */
    public InvalidDataException(Object file, String problem) {
        super(file + ": " + problem);
    }

    /**
     * Creates the exception for one file, keeping the lower-level error that revealed the problem
     * ({@code --verbose} shows it).
     *
     * @param file the file at fault, as the user would recognise it
     * @param problem what is wrong with it, in a short clause
     * @param cause the error that revealed it
     */
    public InvalidDataException(Object file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
