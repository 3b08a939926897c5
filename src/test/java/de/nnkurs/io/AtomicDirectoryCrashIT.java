package de.nnkurs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.PausedChild;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A writer killed (SIGKILL) at each step of replacing a folder: the next write repairs what it left
 * and says so, and a second writer is turned away while the first holds the folder.
 */
class AtomicDirectoryCrashIT {

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
    private PausedChild pausedChild(String step, String text) throws IOException {
        return PausedChild.start(
                "paused at " + step,
                List.of(AtomicDirectory.PAUSE + "=" + step),
                WriteFolder.class,
                target().toString(),
                text);
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
        pausedChild("written", "new").close(); // SIGKILL at the step
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
        pausedChild("moved-aside", "new").close(); // SIGKILL at the step
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
        pausedChild("replaced", "new").close(); // SIGKILL at the step
        assertEquals("new", text(), "the new folder arrived");
        write("third");
        assertEquals("third", text());
        assertEquals(List.of("model"), entries());
    }

    @Test
    void aSecondWriterIsTurnedAwayWhileTheFirstHoldsTheFolder() throws Exception {
        write("old");
        try (PausedChild first = pausedChild("written", "new")) {
            IOException e = assertThrows(IOException.class, () -> write("second"));
            assertEquals(
                    target()
                            + ": another process is writing it right now (.model.lock is locked);"
                            + " try again when it has finished",
                    e.getMessage());
            assertEquals("old", text(), "nothing half-deleted");
        } // killed here
        write("after"); // the lock went with the killed process
        assertEquals("after", text());
    }
}
