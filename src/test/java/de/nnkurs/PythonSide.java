package de.nnkurs;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the project's Python scripts for tests that compare with PyTorch.
 *
 * <p>Without a Python that imports torch and torchvision such tests are skipped on a developer's
 * machine, but fail when the environment variable {@code CI} is set, so CI always checks them.
 */
public final class PythonSide {

    private static final List<String> CANDIDATES = List.of("/usr/bin/python3", "python3");
    private static String found;

    private PythonSide() {}

    /** Returns an interpreter that imports torch and torchvision, or skips/fails as above. */
    public static synchronized String require() {
        if (found == null) {
            for (String candidate : CANDIDATES) {
                if (canImportTorch(candidate)) {
                    found = candidate;
                    break;
                }
            }
        }
        if (found == null) {
            String why =
                    "no python3 here can import torch and torchvision; install them with"
                            + " apt-get install -y --no-install-recommends python3-torch"
                            + " python3-torchvision";
            if (System.getenv("CI") != null) {
                fail("CI is set, so the PyTorch comparison must run: " + why);
            }
            Assumptions.abort(why);
        }
        return found;
    }

    /**
     * Runs a script under {@code scripts/} and fails the test with its output if it fails.
     *
     * @param log where the script's output goes
     * @param script the file name, e.g. {@code slides_mnist.py}
     * @param args its arguments
     */
    public static void run(Path log, String script, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(require());
        command.add(Path.of("scripts", script).toString());
        command.addAll(List.of(args));
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail(script + " did not finish within 10 minutes");
        }
        if (process.exitValue() != 0) {
            fail(
                    script
                            + " failed with exit code "
                            + process.exitValue()
                            + ":\n"
                            + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    private static boolean canImportTorch(String python) {
        try {
            Process p =
                    new ProcessBuilder(python, "-c", "import torch, torchvision")
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            return p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
