package de.nnkurs.training;

import ai.djl.ndarray.NDArray;

import de.nnkurs.model.FlatParameters;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One kind of optimizer state, one array per parameter (Adam's {@code exp_avg}, momentum's
 * velocity). Once the optimizer steps a {@link FlatParameters flattened} model, the arrays become
 * views of one flat buffer in the parameters' layout, so that a step updates them all at once,
 * while checkpoints still see one array per parameter.
 */
final class ParameterState {

    private final Map<String, NDArray> arrays = new ConcurrentHashMap<>();
    private FlatParameters flattened;
    private FlatParameters.Buffer flat;

    /** Returns the parameter's state, zero like {@code weight} if it has none yet. */
    NDArray get(String parameterId, NDArray weight) {
        return arrays.computeIfAbsent(parameterId, k -> weight.zerosLike());
    }

    /** Returns the parameter's state, or null if it has none. */
    NDArray peek(String parameterId) {
        return arrays.get(parameterId);
    }

    /**
     * Returns the state of all of {@code parameters} as one flat array, moving the state so far
     * (e.g. restored from a checkpoint) into it the first time.
     */
    NDArray all(FlatParameters parameters) {
        return buffer(parameters).all();
    }

    /** Returns the flat buffer of {@link #all}. */
    FlatParameters.Buffer buffer(FlatParameters parameters) {
        if (flattened != parameters) {
            FlatParameters.Buffer buffer = parameters.newBuffer();
            for (String id : parameters.ids()) {
                NDArray old = arrays.put(id, buffer.of(id));
                if (old != null) {
                    buffer.copyFrom(id, old);
                    old.close();
                }
            }
            flattened = parameters;
            flat = buffer;
        }
        return flat;
    }

    /** Sets the parameter's state to a copy of {@code value}, e.g. from a checkpoint. */
    void restore(String parameterId, NDArray weight, NDArray value) {
        if (flat != null && flattened.ids().contains(parameterId)) {
            flat.copyFrom(parameterId, value); // stays a view of the flat buffer
            return;
        }
        NDArray old = arrays.put(parameterId, ResumableOptimizer.copyFor(weight, value));
        if (old != null) {
            old.close();
        }
    }
}
