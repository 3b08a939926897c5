package de.nnkurs.cli;

import de.nnkurs.InvalidSettingException;
import de.nnkurs.io.Reasons;
import de.nnkurs.model.EngineThreads;
import de.nnkurs.model.LibTorchFiles;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.util.concurrent.Callable;

/** The {@code nnkurs} command line: the slides' MNIST lesson on DJL's PyTorch engine. */
@Command(
        name = "nnkurs",
        mixinStandardHelpOptions = true,
        versionProvider = Versions.class,
        description =
                "The MNIST lesson of the neural-network course, in Java on DJL's PyTorch engine.",
        subcommands = {
            TrainCommand.class,
            ExportCommand.class,
            PredictCommand.class,
            EvaluateCommand.class,
            ServeCommand.class,
            DyingReluCommand.class,
            WeightsCommand.class,
            FetchDataCommand.class,
            CompareReportCommand.class,
            BenchCommand.class
        })
public final class Main implements Callable<Integer> {

    /** Exit code for wrong arguments (picocli's usage error code). */
    public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

    /** Exit code for a failure while running, e.g. a malformed data file. */
    public static final int EXIT_FAILURE = CommandLine.ExitCode.SOFTWARE;

    /** DJL warns about the missing CUDA driver on every CPU-only start; that is not news. */
    private static final String DJL_LOG_LEVEL = "org.slf4j.simpleLogger.log.ai.djl";

    static {
        // Before any DJL class logs: keep its start-up chatter off the console unless --verbose.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", logLevel(false));
        System.setProperty(DJL_LOG_LEVEL, "error");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    private static boolean verbose;

    @Spec private CommandSpec spec;

    /**
     * Shows DJL's log output and stack traces.
     *
     * @param on whether to be verbose
     */
    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description = "Show DJL's log output and stack traces of errors.")
    void setVerbose(boolean on) {
        setVerboseFlag(on);
    }

    /**
     * Fixes libtorch's thread count for this process, before the engine starts.
     *
     * @param n threads, 1 to {@value EngineThreads#MAX}
     */
    @Option(
            names = "--threads",
            paramLabel = "N",
            scope = ScopeType.INHERIT,
            description =
                    "libtorch threads (default: the lesson's choice per network: 1 below 500,000"
                            + " weights, else every core).")
    void setThreads(int n) {
        try {
            EngineThreads.fix(n);
        } catch (InvalidSettingException e) {
            throw new ParameterException(spec.commandLine(), "--threads " + e.problem());
        }
    }

    private static void setVerboseFlag(boolean on) {
        verbose = on;
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", logLevel(on));
        System.setProperty(DJL_LOG_LEVEL, on ? "info" : "error");
    }

    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(),
                "missing command: " + String.join(", ", spec.subcommands().keySet()));
    }

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        try {
            // Before anything loads libtorch: a damaged copy would crash the JVM (SIGBUS).
            LibTorchFiles.ensureIntact(line -> err.println("nnkurs: " + line));
        } catch (IOException e) {
            err.println("nnkurs: " + e.getMessage());
            System.exit(EXIT_FAILURE);
        }
        System.exit(run(out, err, args));
    }

    /**
     * Runs the command line.
     *
     * @param out where results go
     * @param err where progress and errors go
     * @param args the arguments
     * @return the exit code: 0 on success, {@link #EXIT_USAGE} for bad arguments, {@link
     *     #EXIT_FAILURE} when the work fails
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        setVerboseFlag(false);
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(
                (e, a) -> {
                    CommandLine failed = e.getCommandLine();
                    String name = failed.getCommandSpec().qualifiedName();
                    failed.getErr()
                            .printf("%s: %s (see '%s --help')%n", name, e.getMessage(), name);
                    return EXIT_USAGE;
                });
        cli.setExecutionExceptionHandler(
                (e, failed, parseResult) -> {
                    if (e instanceof InvalidSettingException bad) {
                        return usageError(failed, bad);
                    }
                    String name = failed.getCommandSpec().qualifiedName();
                    String message =
                            e instanceof FileSystemException fse
                                    ? Reasons.describe(fse)
                                    : e.getMessage() == null ? e.toString() : e.getMessage();
                    failed.getErr().printf("%s: %s%n", name, message);
                    if (verbose) {
                        e.printStackTrace(failed.getErr());
                    }
                    return EXIT_FAILURE;
                });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * A setting the library refused is a usage error like picocli's own: one line, exit code 2. The
     * setting is shown as the option that set it ({@code --lr …}), or as the bare problem for a
     * positional argument.
     */
    private static int usageError(CommandLine failed, InvalidSettingException e) {
        String name = failed.getCommandSpec().qualifiedName();
        String option = "--" + e.setting();
        String message =
                failed.getCommandSpec().findOption(option) != null
                        ? option + " " + e.problem()
                        : e.problem();
        failed.getErr().printf("%s: %s (see '%s --help')%n", name, message, name);
        return EXIT_USAGE;
    }

    private static String logLevel(boolean verbose) {
        return verbose ? "info" : "warn";
    }
}
