package de.nnkurs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The course notebooks are listed in the README, are valid Jupyter notebooks for the Java kernel,
 * load the project's jar first, link to existing Java classes, and the exercise has a solution for
 * every TODO cell.
 */
class NotebooksTest {

    private static final Path FOLDER = Path.of("notebooks");

    private static List<Path> notebooks() throws IOException {
        try (Stream<Path> files = Files.list(FOLDER)) {
            return files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
    }

    private static JsonObject read(Path notebook) throws IOException {
        return JsonParser.parseString(Files.readString(notebook)).getAsJsonObject();
    }

    private static String source(JsonObject cell) {
        JsonElement s = cell.get("source");
        if (s.isJsonArray()) {
            StringBuilder sb = new StringBuilder();
            s.getAsJsonArray().forEach(line -> sb.append(line.getAsString()));
            return sb.toString();
        }
        return s.getAsString();
    }

    private static List<String> tags(JsonObject cell) {
        List<String> tags = new ArrayList<>();
        JsonObject metadata = cell.getAsJsonObject("metadata");
        if (metadata != null && metadata.has("tags")) {
            metadata.getAsJsonArray("tags").forEach(t -> tags.add(t.getAsString()));
        }
        return tags;
    }

    @Test
    void theReadmesNotebookTableLinksEveryNotebookAndNoOther() throws IOException {
        Matcher m =
                Pattern.compile("\\]\\(notebooks/([^)/]+\\.ipynb)\\)")
                        .matcher(Files.readString(Path.of("README.md")));
        Set<String> linked = new TreeSet<>();
        while (m.find()) {
            linked.add(m.group(1));
        }
        Set<String> present = new TreeSet<>();
        for (Path nb : notebooks()) {
            present.add(nb.getFileName().toString());
        }
        assertEquals(present, linked, "notebooks/ and the notebooks README.md links to");
    }

    @Test
    void everyNotebookIsNbformat4ForTheJavaKernel() throws IOException {
        for (Path nb : notebooks()) {
            JsonObject json = read(nb);
            assertEquals(4, json.get("nbformat").getAsInt(), nb.toString());
            JsonObject kernelspec = json.getAsJsonObject("metadata").getAsJsonObject("kernelspec");
            assertEquals("java", kernelspec.get("language").getAsString(), nb.toString());
            assertEquals("rapaio-jupyter-kernel", kernelspec.get("name").getAsString());
            for (JsonElement c : json.getAsJsonArray("cells")) {
                String type = c.getAsJsonObject().get("cell_type").getAsString();
                assertTrue(Set.of("code", "markdown").contains(type), nb + ": cell type " + type);
            }
        }
    }

    @Test
    void everyNotebookStartsWithAGermanAndEnglishTitleThenLoadsTheJar() throws IOException {
        for (Path nb : notebooks()) {
            JsonArray cells = read(nb).getAsJsonArray("cells");
            String title = source(cells.get(0).getAsJsonObject());
            assertTrue(title.startsWith("# ") && title.contains(" — "), nb + ": " + title);
            List<String> code = new ArrayList<>();
            for (JsonElement c : cells) {
                if (c.getAsJsonObject().get("cell_type").getAsString().equals("code")) {
                    code.add(source(c.getAsJsonObject()));
                }
            }
            assertEquals("%jar ../target/nnkurs.jar", code.get(0).strip(), nb.toString());
        }
    }

    @Test
    void everyLinkToAJavaClassPointsToAFileThatExists() throws IOException {
        Pattern link = Pattern.compile("\\]\\((\\.\\./[^)]+\\.(?:java|py))\\)");
        for (Path nb : notebooks()) {
            Matcher m = link.matcher(Files.readString(nb));
            int links = 0;
            while (m.find()) {
                links++;
                assertTrue(
                        Files.isRegularFile(FOLDER.resolve(m.group(1))),
                        nb + " links " + m.group(1));
            }
            assertTrue(links > 0, nb + " links to no Java class");
        }
    }

    @Test
    void everyTodoCellOfTheExerciseHasASolutionCell() throws IOException {
        Set<String> exercises = new HashSet<>();
        for (JsonElement c :
                read(FOLDER.resolve("06-hands-on-exercise.ipynb")).getAsJsonArray("cells")) {
            for (String tag : tags(c.getAsJsonObject())) {
                if (tag.startsWith("exercise:")) {
                    exercises.add(tag.substring("exercise:".length()));
                    assertTrue(source(c.getAsJsonObject()).contains("TODO"), tag + " says TODO");
                }
            }
        }
        Set<String> solutions = new HashSet<>();
        for (JsonElement c :
                read(FOLDER.resolve("06-hands-on-solution.ipynb")).getAsJsonArray("cells")) {
            for (String tag : tags(c.getAsJsonObject())) {
                if (tag.startsWith("solution:")) {
                    solutions.add(tag.substring("solution:".length()));
                }
            }
        }
        assertFalse(exercises.isEmpty());
        assertEquals(exercises, solutions);
    }

    @Test
    void theExerciseShipsWithoutAnswersAndTheOthersWithTheirOutputs() throws IOException {
        for (Path nb : notebooks()) {
            boolean exercise = nb.getFileName().toString().endsWith("-exercise.ipynb");
            int withOutput = 0;
            for (JsonElement c : read(nb).getAsJsonArray("cells")) {
                JsonObject cell = c.getAsJsonObject();
                if (cell.has("outputs") && cell.getAsJsonArray("outputs").size() > 0) {
                    withOutput++;
                }
            }
            if (exercise) {
                assertEquals(0, withOutput, nb + " must not show the answers' outputs");
            } else {
                assertTrue(
                        withOutput > 2,
                        nb + " is committed with its outputs (scripts/notebooks --inplace)");
            }
        }
    }

    /** The slides' section headings, verbatim (the notebooks add an English subtitle). */
    private static final List<String> SLIDE_HEADINGS =
            List.of(
                    "Wofür Aktivierung?",
                    "Wahl der Aktivierung",
                    "Dying ReLU",
                    "Mehr zu Aktivierungen",
                    "Implementation (PyTorch vs TensorFlow)",
                    "Architektur entwerfen",
                    "MNIST Classifier",
                    "Trainingsloop",
                    "Trainingsloop entwerfen",
                    "Loss Funktion",
                    "Forward-Pass",
                    "Backward-Pass",
                    "Update",
                    "Gradient Descent",
                    "Optimizer",
                    "Hands-On: MNIST Classifier");

    @Test
    void everySlideSectionHasItsPlaceUnderTheSlidesOwnHeading() throws IOException {
        Set<String> headings = new HashSet<>();
        for (Path nb : notebooks()) {
            for (JsonElement c : read(nb).getAsJsonArray("cells")) {
                JsonObject cell = c.getAsJsonObject();
                if (cell.get("cell_type").getAsString().equals("markdown")) {
                    for (String line : source(cell).split("\n")) {
                        Matcher h = Pattern.compile("^#+ (.+?)(?: — .*)?$").matcher(line.strip());
                        if (h.matches()) {
                            headings.add(h.group(1).strip());
                        }
                    }
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (String heading : SLIDE_HEADINGS) {
            if (!headings.contains(heading)) {
                missing.add(heading);
            }
        }
        assertTrue(missing.isEmpty(), "slide sections without their heading: " + missing);
    }

    @Test
    void everyNotebookLoadsTheSharedSetup() throws IOException {
        assertTrue(Files.isRegularFile(FOLDER.resolve("setup.jshell")));
        for (Path nb : notebooks()) {
            List<String> code = new ArrayList<>();
            for (JsonElement c : read(nb).getAsJsonArray("cells")) {
                if (c.getAsJsonObject().get("cell_type").getAsString().equals("code")) {
                    code.add(source(c.getAsJsonObject()).strip());
                }
            }
            assertEquals("%load setup.jshell", code.get(1), nb.toString());
        }
    }

    @Test
    void outputsCarryNoEscapeCodesAndNoMachinePaths() throws IOException {
        Pattern machinePath = Pattern.compile("(?<![\\w.])/(?:work|home|root|tmp|usr|var)/");
        for (Path nb : notebooks()) {
            for (JsonElement c : read(nb).getAsJsonArray("cells")) {
                JsonObject cell = c.getAsJsonObject();
                if (!cell.has("outputs")) {
                    continue;
                }
                for (JsonElement o : cell.getAsJsonArray("outputs")) {
                    String text = textOf(o.getAsJsonObject());
                    assertFalse(text.contains("\u001b["), nb + ": an escape code in " + text);
                    assertFalse(machinePath.matcher(text).find(), nb + ": a machine path in " + text);
                }
            }
        }
    }

    /** The text of an output: a stream's text, or its plain and HTML representations. */
    private static String textOf(JsonObject output) {
        StringBuilder sb = new StringBuilder();
        if (output.has("text")) {
            sb.append(joined(output.get("text")));
        }
        if (output.has("data")) {
            JsonObject data = output.getAsJsonObject("data");
            for (String kind : List.of("text/plain", "text/html")) {
                if (data.has(kind)) {
                    sb.append(joined(data.get(kind)));
                }
            }
        }
        if (output.has("traceback")) {
            sb.append(joined(output.get("traceback")));
        }
        return sb.toString();
    }

    private static String joined(JsonElement e) {
        if (e.isJsonArray()) {
            StringBuilder sb = new StringBuilder();
            e.getAsJsonArray().forEach(line -> sb.append(line.getAsString()));
            return sb.toString();
        }
        return e.getAsString();
    }
}
