package de.nnkurs.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The check of DJL's extracted libtorch, on stand-in files: the "jar entries" are test resources
 * (one in a jar would be the same code path as the real engine's, which {@code LibTorchFilesIT}
 * takes in a child JVM).
 */
class LibTorchFilesTest {

    private static final String RESOURCE = "mnist-slice/README.md";

    @TempDir Path tmp;

    private static byte[] resource() throws IOException {
        try (InputStream in =
                LibTorchFilesTest.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            return in.readAllBytes();
        }
    }

    private static final List<LibTorchFiles.Extracted> FILES =
            List.of(
                    new LibTorchFiles.Extracted("libtorch_cpu.so", RESOURCE),
                    new LibTorchFiles.Extracted("libc10.so", RESOURCE),
                    new LibTorchFiles.Extracted("not-bundled.so", "no/such/resource.so"));

    @Test
    void aTruncatedOrMissingFileIsExtractedAnewAndNothingElseIsTouched() throws IOException {
        byte[] whole = resource();
        Path dir = Files.createDirectories(tmp.resolve("2.7.1-cpu-linux-x86_64"));
        Files.write(dir.resolve("libtorch_cpu.so"), java.util.Arrays.copyOf(whole, 10));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        List<String> notices = new ArrayList<>();
        List<String> repaired = LibTorchFiles.repair(dir, FILES, notices::add);
        assertEquals(List.of("libtorch_cpu.so", "libc10.so"), repaired);
        assertArrayEquals(whole, Files.readAllBytes(dir.resolve("libtorch_cpu.so")));
        assertArrayEquals(whole, Files.readAllBytes(dir.resolve("libc10.so")));
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
        assertEquals(
                dir
                        + ": libtorch_cpu.so is damaged (10 bytes, the engine's jar holds "
                        + whole.length
                        + "); extracted it anew from the engine's jar",
                notices.get(0));
        assertEquals(
                dir + ": libc10.so is missing; extracted it anew from the engine's jar",
                notices.get(1));
        try (var entries = Files.list(dir)) {
            assertEquals(3, entries.count(), "no temporary file left");
        }
        assertEquals(List.of(), LibTorchFiles.repair(dir, FILES, notices::add), "intact now");
    }

    @Test
    void aFileThatCannotBeExtractedAnewIsRefusedInOneLineNamingTheFolder() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("2.7.1-cpu-linux-x86_64"));
        Files.createDirectories(dir.resolve("libtorch_cpu.so").resolve("inside"));
        IOException e =
                assertThrows(IOException.class, () -> LibTorchFiles.repair(dir, FILES, n -> {}));
        String m = e.getMessage();
        assertTrue(
                m.startsWith(
                        dir + ": libtorch_cpu.so is not a file and cannot be extracted anew ("),
                m);
        assertTrue(
                m.endsWith(
                        "); delete this folder, and DJL extracts libtorch again on the next run"),
                m);
        assertEquals(1, m.lines().count(), m);
        assertTrue(Files.isDirectory(dir.resolve("libtorch_cpu.so").resolve("inside")));
    }

    @Test
    void aFolderNotYetExtractedIsLeftToDjl() throws IOException {
        Path dir = tmp.resolve("absent");
        assertEquals(List.of(), LibTorchFiles.repair(dir, FILES, n -> {}));
        assertTrue(!Files.exists(dir));
    }

    @Test
    void theFolderIsDjlsCacheFolderOfTheBundledLibtorch() {
        Path dir = LibTorchFiles.folder();
        assertEquals(
                ai.djl.util.Utils.getEngineCacheDir("pytorch"), dir.getParent(), dir.toString());
        assertTrue(dir.getFileName().toString().endsWith("-cpu-linux-x86_64"), dir.toString());
        List<String> names =
                LibTorchFiles.files().stream().map(LibTorchFiles.Extracted::name).toList();
        assertTrue(names.contains("libtorch_cpu.so"), names.toString());
        assertTrue(names.contains(ai.djl.engine.Engine.getDjlVersion() + "-libdjl_torch.so"));
    }
}
