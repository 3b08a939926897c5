package de.nnkurs.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import de.nnkurs.Lesson;

/**
 * The class style of the slides' model, with an explicit {@code forward}.
 *
 * <pre>{@code
 * class Classifier(nn.Module):
 *     def __init__(self):
 *         super().__init__()
 *         self.fc1 = nn.Linear(784, 64)
 *         self.fc2 = nn.Linear(64, 64)
 *         self.fc3 = nn.Linear(64, 64)
 *         self.fc4 = nn.Linear(64, 10)
 *
 *     def forward(self, x):
 *         x = F.relu(self.fc1(x))
 *         x = F.relu(self.fc2(x))
 *         x = F.relu(self.fc3(x))
 *         x = F.softmax(self.fc4(x), dim=1)
 *         return x
 * }</pre>
 */
public final class Classifier extends AbstractBlock {

    private final Variant variant;
    private final Linear fc1;
    private final Linear fc2;
    private final Linear fc3;
    private final Linear fc4;

    /**
     * Creates the classifier; the sizes come from {@link Lesson}.
     *
     * @param variant whether {@code forward} ends in Softmax
     */
    public Classifier(Variant variant) {
        this.variant = variant;
        fc1 = addChildBlock("fc1", Layers.linear(Lesson.INPUT, Lesson.HIDDEN.get(0)));
        fc2 = addChildBlock("fc2", Layers.linear(Lesson.HIDDEN.get(0), Lesson.HIDDEN.get(1)));
        fc3 = addChildBlock("fc3", Layers.linear(Lesson.HIDDEN.get(1), Lesson.HIDDEN.get(2)));
        fc4 = addChildBlock("fc4", Layers.linear(Lesson.HIDDEN.get(2), Lesson.OUTPUT));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        x = Activation.relu(layer(fc1, ps, x, training)); // x = F.relu(self.fc1(x))
        x = Activation.relu(layer(fc2, ps, x, training)); // x = F.relu(self.fc2(x))
        x = Activation.relu(layer(fc3, ps, x, training)); // x = F.relu(self.fc3(x))
        x = layer(fc4, ps, x, training);
        if (variant == Variant.SLIDES) {
            x = x.softmax(1); // x = F.softmax(self.fc4(x), dim=1)
        }
        return new NDList(x); // return x
    }

    private static NDArray layer(Linear fc, ParameterStore ps, NDArray x, boolean training) {
        return fc.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), Lesson.OUTPUT)};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (Linear fc : new Linear[] {fc1, fc2, fc3, fc4}) {
            fc.initialize(manager, dataType, shapes);
            shapes = fc.getOutputShapes(shapes);
        }
    }
}
