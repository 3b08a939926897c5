package de.nnkurs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import de.nnkurs.ExportedMnist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

/** {@code serve}'s errors: one line each, before anything is served. */
class ServeCommandTest extends CommandLineTest {

    @TempDir Path tmp;

    @Test
    void aPortOutsideTheRangeIsAUsageError() throws Exception {
        String model = ExportedMnist.folder().toString();
        assertEquals(2, run("serve", "--model", model, "--port", "70000"));
        assertOneLineError("nnkurs serve: --port must be in 0..65535, got 70000");
    }

    @Test
    void aPortThatIsNoNumberIsAUsageError() {
        assertEquals(2, run("serve", "--port", "eighty"));
        assertOneLineError("--port");
    }

    @Test
    void aBusyPortIsOneLineSayingToChooseAnother() throws Exception {
        String model = ExportedMnist.folder().toString();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertEquals(1, run("serve", "--model", model, "--port", Integer.toString(port)));
            assertEquals(
                    "nnkurs serve: port " + port + " is in use; choose another with --port",
                    err.toString().strip());
            assertEquals("", out.toString());
        }
    }

    @Test
    void aMissingModelIsAUsageErrorNamingIt() {
        Path none = tmp.resolve("nothing");
        assertEquals(2, run("serve", "--model", none.toString()));
        assertOneLineError(
                "--model " + none + ": no such folder (export one first: nnkurs export)");
    }
}
