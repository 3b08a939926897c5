package de.nnkurs.cli;

import de.nnkurs.export.ModelFolder;
import de.nnkurs.export.ServingFolder;
import de.nnkurs.web.ClassroomServer;
import de.nnkurs.web.PortInUseException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code nnkurs serve}: the draw-a-digit page and DJL Serving's API, for a classroom. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve the draw-a-digit page at / and answer POST /predictions/<model>, GET /models"
                    + " and GET /ping as DJL Serving does, from an exported model, in this"
                    + " process. For a classroom on one machine; deployment is DJL Serving's job.",
            "Without --model, a trained models/mnist that has no export yet is exported first."
                    + " Requests above 10 MB are refused; Ctrl-C stops the server."
        })
final class ServeCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Mixin private ModelOption.Exported served;

    @Option(
            names = "--port",
            paramLabel = "N",
            description = "port to listen on, 0 for any free one (default: ${DEFAULT-VALUE})")
    private int port = ClassroomServer.DEFAULT_PORT;

    @Option(
            names = "--host",
            paramLabel = "H",
            description =
                    "address to listen on; another than this machine's opens the page to the"
                            + " network (default: ${DEFAULT-VALUE})")
    private String host = ClassroomServer.LOOPBACK;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // After the README's first command (train) there is a trained model but no export yet.
        if (!spec.commandLine().getParseResult().hasMatchedOption("--model")
                && !Files.exists(served.model())
                && Files.isDirectory(ModelFolder.DEFAULT)) {
            Path exported = ServingFolder.export(ModelFolder.DEFAULT, ServingFolder.DEFAULT_ROOT);
            out.printf("Exported %s to %s first%n", ModelFolder.DEFAULT, exported);
        }
        Path model = served.require(spec);
        ClassroomServer server;
        try {
            server = ClassroomServer.start(model, host, port);
        } catch (PortInUseException e) {
            err.printf("nnkurs serve: port %d is in use; choose another with --port%n", e.port());
            return Main.EXIT_FAILURE;
        }
        Thread stop =
                new Thread(
                        () -> {
                            server.close();
                            out.println("Stopped serving " + server.modelName());
                            out.flush();
                        },
                        "nnkurs-serve-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        if (!server.loopbackOnly()) {
            err.printf(
                    "nnkurs serve: warning: listening on %s: anyone on the network can reach it%n",
                    host);
        }
        out.printf(
                "Serving %s at %s (predictions: %spredictions/%s); Ctrl-C stops%n",
                server.modelName(), server.uri(), server.uri(), server.modelName());
        out.flush();
        server.awaitClose();
        return 0;
    }
}
