package de.nnkurs.cli;

import de.nnkurs.web.ClassroomServer;
import de.nnkurs.web.PortInUseException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
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
            "Requests above 10 MB are refused; Ctrl-C stops the server."
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
        Path model = served.require(spec);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
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
