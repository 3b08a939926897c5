package de.nnkurs.export;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;

import de.nnkurs.model.Architecture;
import de.nnkurs.model.HiddenActivation;
import de.nnkurs.model.Models;
import de.nnkurs.model.Variant;

import java.nio.file.Path;
import java.util.List;

/**
 * Replaces a model folder again and again in its own JVM, alternating a 784-64-64-10 and a
 * 784-32-10 network, for {@link ModelFolderReadersIT}: prints {@code replacing} once started.
 */
final class ReplaceChild {

    private ReplaceChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int times = Integer.parseInt(args[1]);
        System.out.println("replacing");
        System.out.flush();
        for (int i = 0; i < times; i++) {
            save(dir, i % 2 == 0 ? List.of(32) : List.of(64, 64));
        }
        System.out.println("done");
    }

    static void save(Path dir, List<Integer> hidden) throws Exception {
        Architecture architecture = new Architecture(hidden, HiddenActivation.RELU, Variant.LOGITS);
        try (Model model = Model.newInstance("mnist")) {
            model.setBlock(Models.sequential(architecture));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, Models.INPUT_SHAPE);
            ModelFolder.save(
                    model,
                    dir,
                    ModelMetadata.builder().setName("mnist").setArchitecture(architecture).build());
        }
    }
}
