package de.nnkurs.slides;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;

import de.nnkurs.data.MnistSplit;
import de.nnkurs.training.EpochResult;
import de.nnkurs.training.RunListener;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ObjIntConsumer;

/**
 * Counts the dead hidden units ({@link DeadUnits}) before the first step and after every epoch of a
 * training run. A diverged epoch (NaN loss) ends the counting: NaN weights are neither dead nor
 * alive.
 */
public final class DeadUnitCounter implements RunListener {

    private final MnistSplit examples;
    private final ObjIntConsumer<int[]> report;
    private final List<int[]> counts = new ArrayList<>();
    private Model model;
    private boolean diverged;

    /**
     * Creates a counter that only records.
     *
     * @param examples the examples a unit must be dead for, usually the training set
     */
    public DeadUnitCounter(MnistSplit examples) {
        this(examples, (count, epoch) -> {});
    }

    /**
     * Creates a counter that also reports each count as it is made.
     *
     * @param examples the examples a unit must be dead for, usually the training set
     * @param report gets the dead units per hidden layer and the epoch (0 before training)
     */
    public DeadUnitCounter(MnistSplit examples, ObjIntConsumer<int[]> report) {
        this.examples = examples;
        this.report = report;
    }

    @Override
    public void onTrainingBegin(Model trained) {
        model = trained;
        count(0);
    }

    @Override
    public void onEpoch(EpochResult result) {
        if (diverged || !Double.isFinite(result.meanLoss())) {
            diverged = true;
            return;
        }
        count(result.epoch());
    }

    /** Returns the counts: {@code counts().get(0)} before training, then one per epoch. */
    public List<int[]> counts() {
        return List.copyOf(counts);
    }

    /** Returns whether the loss diverged, which stopped the counting. */
    public boolean diverged() {
        return diverged;
    }

    private void count(int epoch) {
        Block block = model.getBlock();
        if (!(block instanceof SequentialBlock net)) {
            throw new IllegalArgumentException("dead units are counted in sequential networks");
        }
        int[] dead =
                DeadUnits.count(
                        net,
                        new ParameterStore(model.getNDManager(), false),
                        model.getNDManager(),
                        examples);
        counts.add(dead);
        report.accept(dead, epoch);
    }

    /**
     * Returns a line for a report, e.g. {@code dead units per hidden layer (input ≤ 0 for all
     * training images): 0 / 3 / 1}.
     *
     * @param dead dead units per hidden layer
     * @return the line
     */
    public static String describe(int[] dead) {
        if (dead.length == 0) {
            return "dead units: the network has no hidden layer";
        }
        StringBuilder line =
                new StringBuilder(
                        "dead units per hidden layer (input ≤ 0 for all training images): ");
        for (int i = 0; i < dead.length; i++) {
            line.append(i == 0 ? "" : " / ").append(dead[i]);
        }
        return line.toString();
    }
}
