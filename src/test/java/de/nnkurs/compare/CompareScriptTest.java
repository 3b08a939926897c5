package de.nnkurs.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The comparison's and the benchmark's scripts refuse bad arguments and say what is missing. */
class CompareScriptTest {

    @TempDir Path tmp;

    private Scripts.Run run(Map<String, String> env, String... command) throws Exception {
        return Scripts.run(tmp, env, command);
    }

    @Test
    void compareWithoutPyTorchSaysWhatToInstallAndFails() throws Exception {
        Scripts.Run r =
                run(
                        Map.of("PYTHON", "/nonexistent/python3"),
                        "bash",
                        "scripts/compare",
                        "--output",
                        tmp.resolve("c").toString());
        assertEquals(1, r.code(), r.output());
        assertTrue(r.output().contains("compare: Python side unavailable"), r.output());
        assertTrue(
                r.output().contains("apt-get install -y --no-install-recommends python3-torch"),
                r.output());
        assertFalse(Files.exists(tmp.resolve("c")), "nothing written before the check");
    }

    @Test
    void compareRejectsBadArguments() throws Exception {
        Scripts.Run r = run(Map.of(), "bash", "scripts/compare", "--epochs", "0");
        assertEquals(2, r.code(), r.output());
        assertEquals("compare: --epochs must be a positive number, got '0'", r.output().strip());
    }

    @Test
    void compareRejectsASeedThatIsNotANumber() throws Exception {
        Scripts.Run r = run(Map.of(), "bash", "scripts/compare", "--seed", "one");
        assertEquals(2, r.code(), r.output());
        assertEquals("compare: --seed must be a number (0 or more), got 'one'", r.output().strip());
    }

    @Test
    void benchmarkRejectsBadArguments() throws Exception {
        Scripts.Run r = run(Map.of(), "bash", "scripts/benchmark", "--runs", "0");
        assertEquals(2, r.code(), r.output());
        assertEquals("benchmark: --runs must be a positive number, got '0'", r.output().strip());
    }
}
