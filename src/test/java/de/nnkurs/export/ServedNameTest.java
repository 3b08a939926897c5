package de.nnkurs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.nnkurs.ExportedMnist;
import de.nnkurs.data.InvalidDataException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A model's folder name becomes {@code option.modelName} in {@code serving.properties}: a name with
 * a line break or a trailing backslash would add or change settings there, so it is refused before
 * anything is written.
 */
class ServedNameTest {

    @TempDir Path tmp;

    private Path trainedCopy(String name) throws IOException {
        ExportedMnist.folder();
        Path copy = Files.createDirectories(tmp.resolve(name));
        for (String file : ExportedMnist.files(ExportedMnist.TRAINED)) {
            Files.copy(ExportedMnist.TRAINED.resolve(file), copy.resolve(file));
        }
        return copy;
    }

    @Test
    void aNameWithALineBreakIsRefusedAndNothingIsWritten() throws IOException {
        Path trained = trainedCopy("k2\nengine=OnnxRuntime");
        Path root = tmp.resolve("serving");
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> ServingFolder.export(trained, root));
        assertEquals(
                "\""
                        + trained.toString().replace("\n", "\\u000a")
                        + "\": the folder's name cannot"
                        + " name a served model: use letters, digits, '.', '_' and '-', starting"
                        + " with a letter or digit",
                e.getMessage());
        assertFalse(Files.exists(root));
    }

    @Test
    void aNameEndingInABackslashIsRefused() throws IOException {
        Path trained = trainedCopy("mnist\\");
        assertThrows(
                InvalidDataException.class,
                () -> ServingFolder.export(trained, tmp.resolve("serving")));
    }

    @Test
    void anOrdinaryNameIsServedAsItIs() throws IOException {
        Path folder = ServingFolder.export(trainedCopy("mnist_v2.1-b"), tmp.resolve("serving"));
        Properties p = ServingLoader.properties(folder);
        assertEquals("mnist_v2.1-b", p.getProperty("option.modelName"));
        assertTrue(p.getProperty("engine").equals("PyTorch"));
    }
}
