package de.nnkurs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** docs/ARCHITECTURE.md names the library's real entry points. */
class DocsTest {

    private static final Path ARCHITECTURE = Path.of("docs", "ARCHITECTURE.md");

    /**
     * {@code Type.member}, e.g. {@code TrainingRun.lesson} or {@code Benchmark.Settings.standard}.
     */
    private static final Pattern CALL =
            Pattern.compile(
                    "(?<![-\\w.])((?:[A-Z][A-Za-z0-9]*\\.)*[A-Z][A-Za-z0-9]*)\\.([a-zA-Z_][A-Za-z0-9_]*)\\b");

    /** Types from outside the project that the page may use. */
    private static final Set<String> FOREIGN = Set.of("Path", "System");

    @Test
    void everyTypeAndMemberTheArchitecturePageNamesExists() throws Exception {
        Map<String, Class<?>> project = projectClasses();
        List<String> missing = new ArrayList<>();
        String text = Files.readString(ARCHITECTURE).replaceAll("(?s)```.*?```", "");
        Matcher code = Pattern.compile("`([^`]+)`").matcher(text);
        int checked = 0;
        while (code.find()) {
            Matcher call = CALL.matcher(code.group(1));
            while (call.find()) {
                String type = call.group(1);
                if (FOREIGN.contains(type.split("\\.")[0])) {
                    continue;
                }
                Class<?> c = project.get(type);
                if (c == null) {
                    missing.add(type + " (no such class)");
                } else if (!hasPublicMember(c, call.group(2))) {
                    missing.add(type + "." + call.group(2));
                }
                checked++;
            }
        }
        assertTrue(checked >= 10, "found only " + checked + " calls in " + ARCHITECTURE);
        assertTrue(missing.isEmpty(), ARCHITECTURE + " names what does not exist: " + missing);
    }

    private static boolean hasPublicMember(Class<?> c, String name) {
        return Arrays.stream(c.getMethods()).anyMatch(m -> m.getName().equals(name))
                || Arrays.stream(c.getFields())
                        .anyMatch(
                                f ->
                                        f.getName().equals(name)
                                                && Modifier.isStatic(f.getModifiers()));
    }

    /** The project's classes by simple name, nested ones as {@code Outer.Inner}. */
    private static Map<String, Class<?>> projectClasses()
            throws IOException, ClassNotFoundException {
        Path root = Path.of("target", "classes");
        Map<String, Class<?>> byName = new HashMap<>();
        try (Stream<Path> files = Files.walk(root.resolve("de/nnkurs"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String binary =
                        root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (binary.matches(".*\\$\\d.*")) {
                    continue; // anonymous classes
                }
                Class<?> c = Class.forName(binary, false, DocsTest.class.getClassLoader());
                String simple = binary.substring(binary.lastIndexOf('.') + 1).replace('$', '.');
                byName.put(simple, c);
            }
        }
        return byName;
    }
}
