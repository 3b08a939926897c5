package de.nnkurs.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The side-by-side table of PyTorch lines and Java statements, in {@code TrainingLoop}'s javadoc
 * and in docs/the-loop.md, shows statements that are really in the loop, each under its PyTorch
 * comment.
 */
class LoopTableTest {

    private static final Path SOURCE =
            Path.of("src/main/java/de/nnkurs/training/TrainingLoop.java");
    private static final Path PAGE = Path.of("docs", "the-loop.md");

    /** One row: the PyTorch line and the Java statement. */
    private record Row(String python, String java) {}

    private static List<Row> javadocRows() throws IOException {
        Matcher m =
                Pattern.compile("<tr><td>\\{@code (.+?)\\}</td><td>\\{@code (.+?)\\}</td></tr>")
                        .matcher(Files.readString(SOURCE));
        List<Row> rows = new ArrayList<>();
        while (m.find()) {
            rows.add(new Row(m.group(1), m.group(2)));
        }
        return rows;
    }

    /** The two-column table of the page's section on the training loop. */
    private static List<Row> pageRows() throws IOException {
        String page = Files.readString(PAGE);
        int start = page.indexOf("## The training loop");
        assertTrue(start >= 0, PAGE + " has the section '## The training loop'");
        int end = page.indexOf("\n## ", start + 1);
        Matcher m =
                Pattern.compile("(?m)^\\| `([^`]+)` \\| `([^`]+)` \\|$")
                        .matcher(page.substring(start, end < 0 ? page.length() : end));
        List<Row> rows = new ArrayList<>();
        while (m.find()) {
            rows.add(new Row(m.group(1), m.group(2)));
        }
        return rows;
    }

    @Test
    void everyJavaStatementOfTheJavadocTableStandsInTheLoopUnderItsPyTorchLine()
            throws IOException {
        List<Row> rows = javadocRows();
        assertEquals(14, rows.size(), "rows of the javadoc table");
        List<String> lines = Files.readAllLines(SOURCE).stream().map(String::strip).toList();
        int codeStart = lines.indexOf("public final class TrainingLoop {");
        for (Row row : rows) {
            int comment = lines.subList(codeStart, lines.size()).indexOf("// " + row.python());
            assertTrue(comment >= 0, "no comment line '// " + row.python() + "' in the loop");
            String statement = lines.get(codeStart + comment + 1);
            assertTrue(
                    statement.startsWith(row.java()),
                    "under '// "
                            + row.python()
                            + "' stands '"
                            + statement
                            + "', not the table's '"
                            + row.java()
                            + "'");
        }
    }

    @Test
    void theLoopPageShowsTheSameTableAsTheJavadoc() throws IOException {
        assertEquals(javadocRows(), pageRows());
    }
}
