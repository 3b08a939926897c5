package de.nnkurs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import de.nnkurs.ExportedMnist;
import de.nnkurs.data.InvalidDataException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * An exported folder is loaded only when serving.properties agrees with its parameters (issue 18,
 * item 4): {@code hidden=32,32} beside 64-wide parameters made predict answer nonsense and evaluate
 * fail with an index error.
 */
class ServingAgreementTest {

    @TempDir Path tmp;

    @Test
    void hiddenWidthsThatDoNotFitTheParametersAreRefusedNamingServingProperties()
            throws IOException {
        Path copy = tmp.resolve("store").resolve("mnist");
        Path exported = ExportedMnist.folder();
        try (Stream<Path> files = Files.walk(exported)) {
            for (Path f : files.toList()) {
                Path to = copy.resolve(exported.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        Path properties = copy.resolve(ServingFolder.PROPERTIES);
        String text = Files.readString(properties);
        Files.writeString(properties, text.replaceAll("(?m)^hidden=.*$", "hidden=32,32"));
        InvalidDataException e =
                assertThrows(InvalidDataException.class, () -> DigitClassifier.open(copy));
        assertEquals(
                properties
                        + ": hidden=32,32 needs layer 1 weight (32, 784), mnist-0001.params holds"
                        + " (64, 784)",
                e.getMessage());
    }
}
