package de.nnkurs.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.cli.Main;
import de.nnkurs.data.IdxFixtures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A damaged libtorch in DJL's cache, in a child JVM pointed at a copy of the cache ({@code
 * ENGINE_CACHE_DIR}): truncated, it crashed every start with SIGBUS; deleted, it failed as if the
 * model were at fault. Now it is extracted anew before the engine loads it, or refused in one line.
 */
class LibTorchFilesIT {

    @TempDir Path tmp;

    /** Copies the bundled libtorch files into a cache of this test's own, as DJL extracts them. */
    private Path cacheCopy(Path cache) throws IOException {
        Path real = LibTorchFiles.folder();
        Path dir = cache.resolve("pytorch").resolve(real.getFileName());
        Files.createDirectories(dir);
        for (LibTorchFiles.Extracted f : LibTorchFiles.files()) {
            if (f.name().equals("libtorch_cpu.so")) {
                continue; // each test puts its own
            }
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(f.resource())) {
                Files.copy(in, dir.resolve(f.name()));
            }
        }
        Files.writeString(dir.resolve("notes.txt"), "not DJL's");
        return dir;
    }

    private static long bundledSize() throws IOException {
        String resource =
                LibTorchFiles.files().stream()
                        .filter(f -> f.name().equals("libtorch_cpu.so"))
                        .findFirst()
                        .orElseThrow()
                        .resource();
        try (InputStream in =
                LibTorchFilesIT.class.getClassLoader().getResourceAsStream(resource)) {
            return in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    private record Result(int exit, String stderr, List<Path> crashLogs) {}

    private Result train(Path cache) throws Exception {
        Path data = tmp.resolve("data");
        if (!Files.exists(data)) {
            IdxFixtures.writeMnistFolder(data, 300, 100, false);
        }
        Path work = Files.createDirectories(tmp.resolve("work"));
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-DENGINE_CACHE_DIR=" + cache,
                                "-cp",
                                System.getProperty("java.class.path"),
                                Main.class.getName(),
                                "train",
                                "--dry-run",
                                "--data-dir",
                                data.toString()));
        Path stderr = tmp.resolve("stderr.txt");
        Process p =
                new ProcessBuilder(command)
                        .directory(work.toFile())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(stderr.toFile())
                        .start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the child did not end within 3 minutes");
        }
        List<Path> crashLogs;
        try (Stream<Path> files = Files.list(work)) {
            crashLogs = files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList();
        }
        return new Result(
                p.exitValue(), Files.readString(stderr, StandardCharsets.UTF_8), crashLogs);
    }

    @Test
    void aTruncatedLibtorchIsExtractedAnewInsteadOfCrashingTheJvm() throws Exception {
        Path cache = tmp.resolve("cache");
        Path dir = cacheCopy(cache);
        long whole = bundledSize();
        Path real = LibTorchFiles.folder().resolve("libtorch_cpu.so");
        try (InputStream in = Files.newInputStream(real)) {
            Files.write(dir.resolve("libtorch_cpu.so"), in.readNBytes(1_000_000));
        }
        Result r = train(cache);
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(List.of(), r.crashLogs());
        assertTrue(
                r.stderr()
                        .contains(
                                dir
                                        + ": libtorch_cpu.so is damaged (1000000 bytes, the"
                                        + " engine's jar holds "
                                        + whole
                                        + "); extracted it anew"),
                r.stderr());
        assertEquals(whole, Files.size(dir.resolve("libtorch_cpu.so")));
        assertEquals("not DJL's", Files.readString(dir.resolve("notes.txt")));
    }

    @Test
    void aDeletedLibtorchIsExtractedAnewInsteadOfBlamingTheModel() throws Exception {
        Path cache = tmp.resolve("cache");
        Path dir = cacheCopy(cache);
        Result r = train(cache);
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(
                r.stderr().contains(dir + ": libtorch_cpu.so is missing; extracted it anew"),
                r.stderr());
        assertEquals(bundledSize(), Files.size(dir.resolve("libtorch_cpu.so")));
    }

    @Test
    void aLibtorchThatCannotBeExtractedAnewIsRefusedInOneLineNamingTheFolder() throws Exception {
        Path cache = tmp.resolve("cache");
        Path dir = cacheCopy(cache);
        Files.createDirectories(dir.resolve("libtorch_cpu.so").resolve("in-the-way"));
        Result r = train(cache);
        assertEquals(Main.EXIT_FAILURE, r.exit(), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(
                r.stderr()
                        .startsWith(
                                "nnkurs: "
                                        + dir
                                        + ": libtorch_cpu.so is not a file and cannot be extracted"
                                        + " anew"),
                r.stderr());
        assertTrue(r.stderr().contains("delete this folder"), r.stderr());
        assertEquals(List.of(), r.crashLogs());
    }
}
