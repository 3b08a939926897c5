package de.nnkurs.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.List;
import java.util.Map;

/**
 * An optimizer whose state a checkpoint can hold, so that a resumed run takes exactly the steps an
 * uninterrupted one would: Adam's moments and step count, momentum's velocity. The names follow
 * PyTorch's {@code optimizer.state_dict()}.
 */
public interface ResumableOptimizer {

    /** Returns the names of the state every updated parameter has, e.g. {@code exp_avg}. */
    List<String> stateNames();

    /**
     * Returns one parameter's state.
     *
     * @param parameterId the id DJL's trainer passes to {@code update}
     * @param manager owns any array made for the answer, such as a step count
     * @return name → array, with every name of {@link #stateNames()}; empty if the parameter was
     *     never updated. Arrays the optimizer holds are returned as they are: copy them to keep
     *     them.
     */
    Map<String, NDArray> state(String parameterId, NDManager manager);

    /**
     * Sets one parameter's state, e.g. from a checkpoint; the arrays are copied.
     *
     * @param parameterId the id DJL's trainer passes to {@code update}
     * @param weight the parameter's array, whose manager will own the copies
     * @param state name → array, with every name of {@link #stateNames()}
     */
    void restore(String parameterId, NDArray weight, Map<String, NDArray> state);

    /** Copies {@code source} into a new array owned by {@code weight}'s manager. */
    static NDArray copyFor(NDArray weight, NDArray source) {
        NDArray copy = source.duplicate();
        copy.attach(weight.getManager());
        return copy;
    }
}
