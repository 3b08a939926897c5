package de.nnkurs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Folders appear complete or not at all. */
class AtomicDirectoryTest {

    @TempDir Path tmp;

    /** The folder's entries but the writers' lock files, which stay (one tiny file each). */
    private List<String> siblings() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.endsWith(".lock"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void writesANewFolder() throws IOException {
        Path target = tmp.resolve("model");
        AtomicDirectory.write(target, dir -> Files.writeString(dir.resolve("a.txt"), "new"));
        assertEquals("new", Files.readString(target.resolve("a.txt")));
        assertEquals(List.of("model"), siblings());
    }

    @Test
    void replacesAnExistingFolderWhole() throws IOException {
        Path target = tmp.resolve("model");
        AtomicDirectory.write(target, dir -> Files.writeString(dir.resolve("old.txt"), "old"));
        AtomicDirectory.write(
                target,
                dir -> true,
                "ours",
                dir -> Files.writeString(dir.resolve("new.txt"), "new"));
        assertFalse(Files.exists(target.resolve("old.txt")));
        assertEquals("new", Files.readString(target.resolve("new.txt")));
        assertEquals(List.of("model"), siblings());
    }

    @Test
    void failureHalfWayKeepsThePreviousFolderAndLeavesNoPartialOne() throws IOException {
        Path target = tmp.resolve("model");
        AtomicDirectory.write(target, dir -> Files.writeString(dir.resolve("a.txt"), "good"));
        IOException e =
                assertThrows(
                        IOException.class,
                        () ->
                                AtomicDirectory.write(
                                        target,
                                        dir -> true,
                                        "ours",
                                        dir -> {
                                            Files.writeString(dir.resolve("a.txt"), "half");
                                            throw new IOException("disk full");
                                        }));
        assertEquals(target + ": disk full", e.getMessage());
        assertEquals("good", Files.readString(target.resolve("a.txt")));
        assertEquals(List.of("model"), siblings());
    }

    @Test
    void refusesToReplaceAFile() throws IOException {
        Path target = Files.writeString(tmp.resolve("model"), "not a folder");
        IOException e =
                assertThrows(IOException.class, () -> AtomicDirectory.write(target, dir -> {}));
        assertTrue(e.getMessage().contains("not a folder"), e.getMessage());
    }

    @Test
    void refusesToReplaceAFolderThatIsNotOfTheExpectedKind() throws IOException {
        Path target = Files.createDirectories(tmp.resolve("precious"));
        Files.writeString(target.resolve("notes.txt"), "keep");
        IOException e =
                assertThrows(
                        IOException.class,
                        () ->
                                AtomicDirectory.write(
                                        target,
                                        dir -> Files.exists(dir.resolve("metadata.json")),
                                        "a model folder",
                                        dir -> Files.writeString(dir.resolve("m"), "model")));
        assertTrue(e.getMessage().endsWith("exists and is not a model folder; not replacing it"));
        assertEquals("keep", Files.readString(target.resolve("notes.txt")));
        assertEquals(List.of("precious"), siblings());
    }

    @Test
    void anEmptyFolderMayBeFilled() throws IOException {
        Path target = Files.createDirectories(tmp.resolve("empty"));
        AtomicDirectory.write(target, dir -> Files.writeString(dir.resolve("a.txt"), "x"));
        assertEquals("x", Files.readString(target.resolve("a.txt")));
    }

    @Test
    void aWriteErrorWithoutAFileNameIsReportedWithTheTargetsName() {
        Path target = tmp.resolve("model");
        IOException e =
                assertThrows(
                        IOException.class,
                        () ->
                                AtomicDirectory.write(
                                        target,
                                        dir -> {
                                            throw new IOException("No space left on device");
                                        }));
        assertEquals(target + ": No space left on device", e.getMessage());
        assertFalse(java.nio.file.Files.exists(target), "nothing half-written under the name");
    }

    @Test
    void aFileWriteErrorWithoutAFileNameIsReportedWithTheTargetsName() {
        Path target = tmp.resolve("record.json");
        IOException e =
                assertThrows(
                        IOException.class,
                        () ->
                                AtomicFile.write(
                                        target,
                                        out -> {
                                            throw new IOException("No space left on device");
                                        }));
        assertEquals(target + ": No space left on device", e.getMessage());
    }
}
