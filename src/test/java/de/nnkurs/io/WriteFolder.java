package de.nnkurs.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A child process for the crash tests: writes {@code args[0]}/a.txt holding {@code args[1]}. */
public final class WriteFolder {

    private WriteFolder() {}

    /**
     * Writes the folder, replacing what is there.
     *
     * @param args the folder and the text
     * @throws IOException if writing fails
     */
    public static void main(String[] args) throws IOException {
        AtomicDirectory.write(
                Path.of(args[0]),
                dir -> true,
                "a test folder",
                dir -> Files.writeString(dir.resolve("a.txt"), args[1]));
    }
}
