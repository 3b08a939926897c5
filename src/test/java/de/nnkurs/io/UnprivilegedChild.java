package de.nnkurs.io;

import de.nnkurs.InvalidSettingException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * Run by {@link UnprivilegedIT} as an ordinary user (not root, for whom every folder is writable):
 * {@code read-only DIR} protects DIR/models/mnist with mode 0500 and tries to replace it; {@code
 * foreign-lock DIR} writes DIR/models/mnist while DIR/models/.mnist.lock belongs to someone else.
 * Prints what happened, one line per fact.
 */
public final class UnprivilegedChild {

    private UnprivilegedChild() {}

    public static void main(String[] args) throws IOException {
        Path models = Path.of(args[1]).resolve("models");
        Path mnist = models.resolve("mnist");
        if (args[0].equals("read-only")) {
            Files.createDirectories(mnist);
            Files.writeString(mnist.resolve("metadata.json"), "old");
            Files.setPosixFilePermissions(mnist, PosixFilePermissions.fromString("r-x------"));
            try {
                AtomicDirectory.checkReplaceable("output", mnist);
                System.out.println("check: accepted");
            } catch (InvalidSettingException e) {
                System.out.println("check: " + e.getMessage());
            }
        }
        try {
            AtomicDirectory.write(
                    mnist,
                    dir -> true,
                    "a model folder",
                    dir -> Files.writeString(dir.resolve("metadata.json"), "new"));
            System.out.println("write: done");
        } catch (IOException e) {
            System.out.println("write: " + e.getMessage());
        }
        System.out.println(
                "model: "
                        + (Files.isRegularFile(mnist.resolve("metadata.json"))
                                ? Files.readString(mnist.resolve("metadata.json"))
                                : "gone"));
        try (Stream<Path> left = Files.list(models)) {
            System.out.println(
                    "leftovers: "
                            + left.map(p -> p.getFileName().toString())
                                    .filter(n -> n.startsWith(".mnist.") && !n.endsWith(".lock"))
                                    .sorted()
                                    .toList());
        }
    }
}
