package de.nnkurs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Folders protected by their owner and lock files of other users, seen by an ordinary user: the
 * child runs as {@code nobody} through {@code setpriv} (root may write anywhere, so only another
 * user shows what a student sees). Needs root to switch users, as CI runs.
 */
class UnprivilegedIT {

    private static final String NOBODY = "65534";

    private Path dir;

    @BeforeEach
    void openFolder() throws Exception {
        assertEquals(
                "root", System.getProperty("user.name"), "this test switches users: run as root");
        dir = Files.createTempDirectory("nnkurs-unprivileged");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @AfterEach
    void removeFolder() throws Exception {
        new ProcessBuilder("chmod", "-R", "u+rwx", dir.toString()).start().waitFor();
        AtomicDirectory.deleteTree(dir);
    }

    private List<String> runAsNobody(String scenario) throws Exception {
        // The classes are copied where the other user can read them: the project may sit in a
        // folder only its owner can enter (a temporary clone, root's home).
        Path classes = dir.resolve("classes");
        copyTree(Path.of("target", "classes"), classes);
        Path child = Path.of("target", "test-classes", "de", "nnkurs", "io");
        for (String name : List.of("UnprivilegedChild.class")) {
            Files.copy(child.resolve(name), classes.resolve("de/nnkurs/io").resolve(name));
        }
        String classPath = classes.toString();
        Path log = dir.resolve("child.log");
        Process p =
                new ProcessBuilder(
                                "setpriv",
                                "--reuid=" + NOBODY,
                                "--regid=" + NOBODY,
                                "--clear-groups",
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                classPath,
                                UnprivilegedChild.class.getName(),
                                scenario,
                                dir.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), "the child did not finish");
        List<String> lines = Files.readAllLines(log);
        assertEquals(0, p.exitValue(), String.join("\n", lines));
        return lines;
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(
                            target, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(p, target);
                    Files.setPosixFilePermissions(
                            target, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }

    @Test
    void aFolderItsOwnerMadeReadOnlyIsNeitherReplacedNorLeftUnderAHiddenName() throws Exception {
        List<String> lines = runAsNobody("read-only");
        Path mnist = dir.resolve("models").resolve("mnist");
        assertTrue(
                lines.get(0).startsWith("check: output " + mnist + ": "), String.join("\n", lines));
        assertTrue(lines.get(0).contains("is read-only for you"), lines.get(0));
        assertTrue(lines.get(1).startsWith("write: "), lines.get(1));
        assertTrue(lines.get(1).contains("read-only"), lines.get(1));
        assertEquals("model: old", lines.get(2), "the protected model stays where it was");
        assertEquals("leftovers: []", lines.get(3), "and nothing is left under a hidden name");
    }

    @Test
    void aLockFileOfAnotherUserIsNamedWithItsOwner() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.setPosixFilePermissions(models, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path lock = Files.createFile(models.resolve(".mnist.lock"));
        Files.setPosixFilePermissions(lock, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> lines = runAsNobody("foreign-lock");
        assertTrue(lines.get(0).startsWith("write: " + lock), String.join("\n", lines));
        assertTrue(lines.get(0).contains("it belongs to root"), lines.get(0));
        assertEquals("model: gone", lines.get(1));
    }
}
