package de.nnkurs.serving;

import java.io.IOException;

/** A picture that cannot be read or holds no digit; the message says why in one line. */
public final class UnusablePictureException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message why the picture cannot be used, without naming a file
     */
    public UnusablePictureException(String message) {
        super(message);
    }
}
