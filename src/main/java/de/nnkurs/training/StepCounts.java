package de.nnkurs.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many updates each parameter has had: the {@code t} of Adam's bias correction and of a
 * learning-rate schedule. Counted here rather than by DJL's {@code Optimizer.updateCount}, whose
 * count a checkpoint could not restore.
 */
final class StepCounts {

    /** The state name, as in PyTorch's {@code optimizer.state_dict()}. */
    static final String NAME = "step";

    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    /** Counts one more update of the parameter and returns its number, from 1. */
    int next(String parameterId) {
        return counts.merge(parameterId, 1, Integer::sum);
    }

    /**
     * Counts one more update of every parameter, which must all have had the same number so far,
     * and returns it.
     *
     * @throws IllegalStateException if their counts differ
     */
    int nextForAll(List<String> parameterIds) {
        int step = 0;
        for (String id : parameterIds) {
            int t = next(id);
            if (step != 0 && t != step) {
                throw new IllegalStateException(
                        "the parameters have taken different numbers of steps ("
                                + step
                                + " and "
                                + t
                                + "), so they cannot be stepped as one");
            }
            step = t;
        }
        return step;
    }

    /** Returns whether the parameter has been updated. */
    boolean started(String parameterId) {
        return counts.containsKey(parameterId);
    }

    /** Returns the count as a scalar int64 array. */
    NDArray array(String parameterId, NDManager manager) {
        return manager.create((long) counts.get(parameterId));
    }

    /**
     * Sets the count from a checkpoint's scalar.
     *
     * @throws IllegalArgumentException if it is not a count of at least 1
     */
    void restore(String parameterId, NDArray step) {
        if (step.getShape().size() != 1) {
            throw new IllegalArgumentException(
                    "step must be a single number, not " + step.getShape());
        }
        double value = step.toType(DataType.FLOAT64, false).getDouble();
        if (!(value >= 1 && value <= Integer.MAX_VALUE) || value != Math.rint(value)) {
            throw new IllegalArgumentException("step must be a whole number ≥ 1, not " + value);
        }
        counts.put(parameterId, (int) value);
    }
}
