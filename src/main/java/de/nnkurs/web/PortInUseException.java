package de.nnkurs.web;

import java.io.IOException;

/** The port the server was to listen on is taken by another program. */
public final class PortInUseException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int port;

    /**
     * Creates the exception.
     *
     * @param port the busy port
     * @param cause the bind failure
     */
    public PortInUseException(int port, Throwable cause) {
        super("port " + port + " is in use", cause);
        this.port = port;
    }

    /** Returns the busy port. */
    public int port() {
        return port;
    }
}
