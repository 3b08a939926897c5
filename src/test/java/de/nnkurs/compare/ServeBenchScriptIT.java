package de.nnkurs.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * {@code scripts/serve-bench} needs a real DJL Serving and {@code hey}, which CI has neither of;
 * its argument checks run without them and end in one line naming the argument and exit code 2.
 */
class ServeBenchScriptIT {

    @TempDir Path tmp;

    private Scripts.Run serveBench(String... args) throws Exception {
        String[] command = new String[args.length + 2];
        command[0] = "/usr/bin/python3";
        command[1] = "scripts/serve-bench";
        System.arraycopy(args, 0, command, 2, args.length);
        return Scripts.run(tmp, Map.of(), command);
    }

    @Test
    void aFolderWithoutDjlServingIsNamed() throws Exception {
        Path none = tmp.resolve("no-server");
        Scripts.Run r =
                serveBench(
                        "--server",
                        none.toString(),
                        "--model",
                        "models/serving/mnist",
                        "--picture",
                        "README.md",
                        "--output",
                        tmp.resolve("out.json").toString());
        assertEquals(2, r.code(), r.output());
        assertEquals(
                "serve-bench: --server "
                        + none
                        + ": no executable start.sh there (build DJL"
                        + " Serving first)\n",
                r.output());
    }

    @Test
    void aModelFolderWithoutServingPropertiesIsNamed() throws Exception {
        Path server = Files.createDirectories(tmp.resolve("server").resolve("lib"));
        Path start = tmp.resolve("server").resolve("start.sh");
        Files.writeString(start, "#!/bin/sh\n");
        Files.setPosixFilePermissions(start, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(server.resolve("serving-0.36.0.jar"), "");
        Path model = Files.createDirectories(tmp.resolve("not-a-model"));
        Scripts.Run r =
                serveBench(
                        "--server", tmp.resolve("server").toString(),
                        "--model", model.toString(),
                        "--picture", "README.md",
                        "--output", tmp.resolve("out.json").toString());
        assertEquals(2, r.code(), r.output());
        assertEquals(
                "serve-bench: --model " + model + ": no serving.properties there\n", r.output());
    }

    @Test
    void aConcurrencyThatIsNotAPositiveNumberIsNamed() throws Exception {
        Scripts.Run r =
                serveBench(
                        "--server", "x",
                        "--model", "x",
                        "--picture", "x",
                        "--concurrency", "1,0",
                        "--output", tmp.resolve("out.json").toString());
        assertEquals(2, r.code(), r.output());
        assertEquals(
                "serve-bench: --concurrency must be a positive whole number, got '0'\n",
                r.output());
    }
}
