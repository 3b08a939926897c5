package de.nnkurs.export;

import de.nnkurs.serving.DigitServingTranslator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Writes the small jar an export carries in {@code libs/}: the classes of {@code de.nnkurs.serving}
 * and nothing else (no DJL, no other class of this project), copied from where this program runs
 * them, so that DJL Serving runs exactly the preprocessing {@code predict} runs. The jar's bytes
 * depend only on those classes: entries sorted, times fixed.
 */
public final class TranslatorJar {

    /** The jar's name inside the export's {@code libs/} folder. */
    public static final String FILE_NAME = "nnkurs-serving.jar";

    /** The package the jar holds, as a resource path. */
    static final String PACKAGE = DigitServingTranslator.class.getPackageName().replace('.', '/');

    /** 1 January 2000: a fixed time for every entry, so equal classes give equal bytes. */
    private static final long ENTRY_TIME = 946_684_800_000L;

    private TranslatorJar() {}

    /**
     * Returns the jar's bytes.
     *
     * @return a jar of the serving package's classes
     * @throws IOException if the classes cannot be read where this program runs them
     */
    public static byte[] bytes() throws IOException {
        List<String> classes = classNames();
        if (classes.stream().noneMatch(c -> c.endsWith("/DigitServingTranslator.class"))) {
            throw new IOException(
                    "cannot find the classes of "
                            + PACKAGE
                            + " where nnkurs runs; found "
                            + classes);
        }
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(Attributes.Name.IMPLEMENTATION_TITLE, "nnkurs digit translator for DJL Serving");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(buffer)) {
            JarEntry manifestEntry = new JarEntry(JarFile.MANIFEST_NAME);
            manifestEntry.setTime(ENTRY_TIME);
            jar.putNextEntry(manifestEntry);
            manifest.write(jar);
            jar.closeEntry();
            for (String name : classes) {
                JarEntry entry = new JarEntry(name);
                entry.setTime(ENTRY_TIME);
                jar.putNextEntry(entry);
                try (InputStream in = resource(name)) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        return buffer.toByteArray();
    }

    /** The class files of the serving package, sorted, as resource paths. */
    static List<String> classNames() throws IOException {
        CodeSource source = DigitServingTranslator.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            throw new IOException("cannot tell where the classes of " + PACKAGE + " come from");
        }
        Path location;
        try {
            location = Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IOException("cannot read classes from " + source.getLocation(), e);
        }
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(location)) {
            Path dir = location.resolve(PACKAGE);
            try (Stream<Path> files = Files.list(dir)) {
                files.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".class"))
                        .forEach(n -> names.add(PACKAGE + "/" + n));
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                for (JarEntry entry : Collections.list(jar.entries())) {
                    String name = entry.getName();
                    if (name.startsWith(PACKAGE + "/")
                            && name.endsWith(".class")
                            && name.indexOf('/', PACKAGE.length() + 1) < 0) {
                        names.add(name);
                    }
                }
            }
        }
        Collections.sort(names);
        return names;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = DigitServingTranslator.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException("cannot read " + name + " where nnkurs runs");
        }
        return in;
    }
}
