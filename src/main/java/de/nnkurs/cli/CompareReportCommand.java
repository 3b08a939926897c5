package de.nnkurs.cli;

import de.nnkurs.compare.CompareReport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code nnkurs compare-report DIR}: the side-by-side report from both sides' run records; exit
 * code 1 when a target is not met.
 */
@Command(
        name = "compare-report",
        mixinStandardHelpOptions = true,
        description = {
            "Write DIR/report.md and DIR/loss.png from python.json, java-adam.json and"
                    + " java-djl-adam.json (as scripts/compare produces them).",
            "Exits with 1 after writing them when the Java adam run misses a target."
        })
final class CompareReportCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Parameters(
            paramLabel = "DIR",
            arity = "0..1",
            description = "the comparison folder (default: ${DEFAULT-VALUE})")
    private Path dir = CompareReport.DEFAULT_DIR;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), dir + ": no such folder");
        }
        CompareReport.Report report = CompareReport.write(dir);
        PrintWriter out = spec.commandLine().getOut();
        out.print(report.markdown());
        out.printf("%nWrote %s and %s%n", dir.resolve("report.md"), dir.resolve("loss.png"));
        List<CompareReport.Target> unmet = report.unmet();
        if (unmet.isEmpty()) {
            return 0;
        }
        out.flush();
        spec.commandLine()
                .getErr()
                .printf(
                        "%s: targets not met: %s%n",
                        spec.qualifiedName(),
                        unmet.stream().map(Object::toString).collect(Collectors.joining("; ")));
        return Main.EXIT_FAILURE;
    }
}
