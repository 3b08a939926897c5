package de.nnkurs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A writer killed (SIGKILL) at each step of replacing a folder: the next write repairs what it left
 * and says so, and a second writer is turned away while the first holds the folder.
 */
class AtomicDirectoryCrashTest {

    @TempDir Path tmp;

    private final List<String> notices = new ArrayList<>();

    private Path target() {
        return tmp.resolve("model");
    }

    private void write(String text) throws IOException {
        AtomicDirectory.setNotices(notices::add);
        WriteFolder.main(new String[] {target().toString(), text});
    }

    @AfterEach
    void defaultNotices() {
        AtomicDirectory.setNotices(line -> System.err.println("nnkurs: " + line));
    }

    /** Starts a child writing {@code text} that stops for good at {@code step}. */
    private Process pausedChild(String step, String text) throws Exception {
        Process child =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-D" + AtomicDirectory.PAUSE + "=" + step,
                                "-cp",
                                System.getProperty("java.class.path"),
                                WriteFolder.class.getName(),
                                target().toString(),
                                text)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        BufferedReader err =
                new BufferedReader(
                        new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8));
        String line = err.readLine(); // blocks until the child has reached the step
        assertEquals("paused at " + step, line);
        return child;
    }

    private void kill(Process child) throws InterruptedException {
        child.destroyForcibly(); // SIGKILL: no finally block, no shutdown hook runs
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }

    private List<String> entries() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.endsWith(".lock"))
                    .sorted()
                    .toList();
        }
    }

    private String text() throws IOException {
        return Files.readString(target().resolve("a.txt"));
    }

    @Test
    void killedAfterWritingTheCopyTheOldFolderStaysAndTheCopyIsRemovedNextTime() throws Exception {
        write("old");
        kill(pausedChild("written", "new"));
        assertEquals("old", text(), "the name still holds the old folder");
        assertEquals(2, entries().size(), "the unfinished copy is still there: " + entries());
        write("third");
        assertEquals("third", text());
        assertEquals(List.of("model"), entries());
        assertTrue(notices.get(0).contains("left by an interrupted write"), notices.toString());
    }

    @Test
    void killedBetweenTheRenamesTheOldFolderIsPutBackBeforeTheNextWrite() throws Exception {
        write("old");
        kill(pausedChild("moved-aside", "new"));
        assertFalse(Files.exists(target()), "the one instant the name is empty");
        Path aside =
                tmp.resolve(entries().stream().filter(n -> n.contains(".old-")).findFirst().get());
        assertEquals("old", Files.readString(aside.resolve("a.txt")), "the old folder is intact");
        assertEquals(aside, AtomicDirectory.interruptedWriteLeftover(target()));
        notices.clear();
        write("third");
        assertEquals("third", text());
        assertEquals(List.of("model"), entries());
        assertTrue(
                notices.get(0).endsWith("restored the previous folder after an interrupted write"),
                notices.toString());
    }

    @Test
    void killedBeforeRemovingTheOldFolderTheNewOneStaysAndTheOldIsRemoved() throws Exception {
        write("old");
        kill(pausedChild("replaced", "new"));
        assertEquals("new", text(), "the new folder arrived");
        write("third");
        assertEquals("third", text());
        assertEquals(List.of("model"), entries());
    }

    @Test
    void aSecondWriterIsTurnedAwayWhileTheFirstHoldsTheFolder() throws Exception {
        write("old");
        Process first = pausedChild("written", "new");
        try {
            IOException e = assertThrows(IOException.class, () -> write("second"));
            assertEquals(
                    target()
                            + ": another process is writing it right now (.model.lock is locked);"
                            + " try again when it has finished",
                    e.getMessage());
            assertEquals("old", text(), "nothing half-deleted");
        } finally {
            kill(first);
        }
        write("after"); // the lock went with the killed process
        assertEquals("after", text());
    }
}
