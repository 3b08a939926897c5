package de.nnkurs.cli;

import ai.djl.Model;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;

import de.nnkurs.data.MnistSplit;
import de.nnkurs.slides.DeadUnits;
import de.nnkurs.training.EpochResult;
import de.nnkurs.training.TrainingListener;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * After each epoch, prints how many hidden units are dead, per layer ({@code --report-dead-units}).
 */
final class DeadUnitReport implements TrainingListener {

    private final TrainingListener next;
    private final Model model;
    private final MnistSplit train;
    private final PrintWriter out;

    DeadUnitReport(TrainingListener next, Model model, MnistSplit train, PrintWriter out) {
        this.next = next;
        this.model = model;
        this.train = train;
        this.out = out;
    }

    @Override
    public void onStep(int epoch, int batch, int batches, float loss) {
        next.onStep(epoch, batch, batches, loss);
    }

    @Override
    public void onEpoch(EpochResult result) {
        next.onEpoch(result);
        int[] dead =
                DeadUnits.count(
                        (SequentialBlock) model.getBlock(),
                        new ParameterStore(model.getNDManager(), false),
                        model.getNDManager(),
                        train);
        if (dead.length == 0) {
            out.println("  dead units: the network has no hidden layer");
            out.flush();
            return;
        }
        out.printf(
                "  dead units per hidden layer (input ≤ 0 for all %d training images): %s%n",
                train.count(),
                Arrays.stream(dead).mapToObj(Integer::toString).collect(Collectors.joining(" / ")));
        out.flush();
    }
}
