package de.nnkurs.cli;

import de.nnkurs.run.TrainingRun;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The files that let the Java and the Python run start alike and be compared step by step. */
final class SideBySideOptions {

    @Option(
            names = "--init",
            paramLabel = "FILE",
            description = "start from these weights (.npz/.safetensors, state_dict names)")
    Path init;

    @Option(
            names = "--save-init",
            paramLabel = "FILE",
            description = "write the initial weights (.npz/.safetensors) before training")
    Path saveInit;

    @Option(
            names = "--order",
            paramLabel = "FILE",
            description = "visit the training examples in the orders in this .npz (epoch1, …)")
    Path order;

    @Option(
            names = "--save-order",
            paramLabel = "FILE",
            description = "write each epoch's order of the training examples as .npz")
    Path saveOrder;

    @Option(
            names = "--save-record",
            paramLabel = "FILE",
            description = "write every step's loss and the test predictions as JSON")
    Path record;

    /** Hands the files to the run, whose setters check them. */
    TrainingRun applyTo(TrainingRun run) {
        if (init != null) {
            run.initialWeights(init);
        }
        if (saveInit != null) {
            run.saveInitialWeights(saveInit);
        }
        if (order != null) {
            run.order(order);
        }
        if (saveOrder != null) {
            run.saveOrder(saveOrder);
        }
        if (record != null) {
            run.saveRecord(record);
        }
        return run;
    }
}
