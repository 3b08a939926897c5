package de.nnkurs.cli;

import de.nnkurs.compare.CompareReport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code nnkurs compare-report DIR}: the side-by-side report from both sides' run records. */
@Command(
        name = "compare-report",
        mixinStandardHelpOptions = true,
        description =
                "Write DIR/report.md and DIR/loss.png from python.json, java-adam.json and"
                        + " java-djl-adam.json (as scripts/compare produces them).")
final class CompareReportCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Parameters(
            paramLabel = "DIR",
            arity = "0..1",
            description = "the comparison folder (default: compare)",
            defaultValue = "compare")
    private Path dir;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), dir + ": no such folder");
        }
        spec.commandLine().getOut().print(CompareReport.write(dir));
        spec.commandLine()
                .getOut()
                .printf("%nWrote %s and %s%n", dir.resolve("report.md"), dir.resolve("loss.png"));
        return 0;
    }
}
