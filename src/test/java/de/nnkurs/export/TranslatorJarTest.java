package de.nnkurs.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.stream.Stream;

/** The export's jar holds the serving package's classes, nothing else, the same bytes each time. */
class TranslatorJarTest {

    @Test
    void holdsExactlyTheCompiledClassesOfTheServingPackage() throws IOException {
        List<String> compiled;
        try (Stream<Path> files = Files.list(Path.of("target/classes/de/nnkurs/serving"))) {
            compiled =
                    files.map(p -> "de/nnkurs/serving/" + p.getFileName())
                            .filter(n -> n.endsWith(".class"))
                            .sorted()
                            .toList();
        }
        List<String> entries = new ArrayList<>();
        try (JarInputStream jar =
                new JarInputStream(new ByteArrayInputStream(TranslatorJar.bytes()))) {
            for (JarEntry e = jar.getNextJarEntry(); e != null; e = jar.getNextJarEntry()) {
                entries.add(e.getName());
                byte[] bytes = jar.readAllBytes();
                if (e.getName().endsWith(".class")) {
                    assertArrayEquals(
                            Files.readAllBytes(Path.of("target/classes").resolve(e.getName())),
                            bytes,
                            e.getName());
                }
            }
        }
        assertEquals(compiled, entries);
        assertEquals(true, compiled.contains("de/nnkurs/serving/DigitServingTranslator.class"));
    }

    @Test
    void theSameClassesGiveTheSameBytes() throws IOException {
        assertArrayEquals(TranslatorJar.bytes(), TranslatorJar.bytes());
    }
}
