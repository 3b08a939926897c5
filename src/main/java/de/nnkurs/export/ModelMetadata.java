package de.nnkurs.export;

import ai.djl.engine.Engine;

import de.nnkurs.model.Architecture;
import de.nnkurs.model.HiddenActivation;
import de.nnkurs.model.Variant;
import de.nnkurs.training.EpochResult;
import de.nnkurs.training.TrainedModel;
import de.nnkurs.training.TrainingSettings;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a saved model folder records about how it was made ({@code metadata.json}).
 *
 * @param name the model name, equal to the folder name and the parameter file prefix
 * @param variant {@code slides} (final Softmax) or {@code logits}
 * @param architecture layer widths, e.g. {@code 784-64-64-64-10}
 * @param activation the hidden-layer activation
 * @param epochs epochs trained
 * @param batchSize examples per step
 * @param learningRate the learning rate
 * @param seed the random seed
 * @param optimizer the optimizer
 * @param loss the loss it minimised, e.g. {@code cross-entropy}
 * @param testAccuracy test accuracy after the last epoch
 * @param history per-epoch loss, accuracy and seconds
 * @param dataSha256 sha256 of each data file, by file name
 * @param djlVersion the DJL version that trained it
 * @param engine the engine and its version, e.g. {@code PyTorch 2.7.1}
 * @param created ISO-8601 time of saving
 */
public record ModelMetadata(
        String name,
        String variant,
        String architecture,
        String activation,
        int epochs,
        int batchSize,
        double learningRate,
        long seed,
        String optimizer,
        String loss,
        double testAccuracy,
        List<EpochResult> history,
        Map<String, String> dataSha256,
        String djlVersion,
        String engine,
        String created) {

    /** File name of the metadata inside a model folder. */
    public static final String FILE_NAME = "metadata.json";

    /**
     * Describes a model fresh from training.
     *
     * @param name the model folder's name
     * @param trained the model with its settings and results
     * @return the metadata, stamped with the engine's versions and the time
     */
    public static ModelMetadata trained(String name, TrainedModel trained) {
        TrainingSettings s = trained.settings();
        return builder()
                .setName(name)
                .setArchitecture(trained.architecture())
                .optTraining(s.epochs(), s.batchSize(), s.learningRate(), s.seed())
                .optOptimizer(s.optimizer().label())
                .optLoss(s.loss().label())
                .optTestAccuracy(trained.testAccuracy())
                .optHistory(trained.result().epochs())
                .optDataSha256(trained.dataSha256())
                .build();
    }

    /**
     * Describes a model whose weights were trained elsewhere and imported.
     *
     * @param name the model folder's name
     * @param architecture the network the weights belong to
     * @param source the weights file, named in the {@code optimizer} field
     * @param testAccuracy the accuracy measured after importing
     * @param dataSha256 the test data it was measured on
     * @return the metadata, stamped with the engine's versions and the time
     */
    public static ModelMetadata imported(
            String name,
            Architecture architecture,
            Path source,
            double testAccuracy,
            Map<String, String> dataSha256) {
        return builder()
                .setName(name)
                .setArchitecture(architecture)
                .optOptimizer("imported from " + source.getFileName())
                .optTestAccuracy(testAccuracy)
                .optDataSha256(dataSha256)
                .build();
    }

    /** Returns a builder; name and architecture are required, the rest is 0 or empty. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ModelMetadata}, stamped with the engine's versions and the time. */
    public static final class Builder {
        private String name;
        private Architecture architecture;
        private int epochs;
        private int batchSize;
        private double learningRate;
        private long seed;
        private String optimizer;
        private String loss;
        private double testAccuracy;
        private List<EpochResult> history = List.of();
        private Map<String, String> dataSha256 = Map.of();

        private Builder() {}

        /** Sets the model name, equal to the folder name. */
        public Builder setName(String value) {
            name = value;
            return this;
        }

        /** Sets the network. */
        public Builder setArchitecture(Architecture value) {
            architecture = value;
            return this;
        }

        /** Sets how it was trained: epochs, batch size, learning rate and seed. */
        public Builder optTraining(int epochs, int batchSize, double learningRate, long seed) {
            this.epochs = epochs;
            this.batchSize = batchSize;
            this.learningRate = learningRate;
            this.seed = seed;
            return this;
        }

        /** Sets the optimizer's label, or where imported weights came from. */
        public Builder optOptimizer(String value) {
            optimizer = value;
            return this;
        }

        /** Sets the loss's label. */
        public Builder optLoss(String value) {
            loss = value;
            return this;
        }

        /** Sets the test accuracy after the last epoch. */
        public Builder optTestAccuracy(double value) {
            testAccuracy = value;
            return this;
        }

        /** Sets the per-epoch results. */
        public Builder optHistory(List<EpochResult> value) {
            history = List.copyOf(value);
            return this;
        }

        /** Sets the sha256 of each data file, by file name. */
        public Builder optDataSha256(Map<String, String> value) {
            dataSha256 = Map.copyOf(value);
            return this;
        }

        /** Returns the metadata. */
        public ModelMetadata build() {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(architecture, "architecture");
            Engine engine = Engine.getInstance();
            return new ModelMetadata(
                    name,
                    architecture.variant().label(),
                    architecture.describe(),
                    architecture.activation().label(),
                    epochs,
                    batchSize,
                    learningRate,
                    seed,
                    optimizer,
                    loss,
                    testAccuracy,
                    history,
                    dataSha256,
                    Engine.getDjlVersion(),
                    engine.getEngineName() + " " + engine.getVersion(),
                    OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString());
        }
    }

    /**
     * Returns the network these fields describe.
     *
     * @return hidden widths, activation (ReLU where the field is absent) and variant
     * @throws IllegalArgumentException if a field is missing or names nothing known
     */
    public Architecture toArchitecture() {
        if (variant == null || architecture == null) {
            throw new IllegalArgumentException("variant or architecture missing");
        }
        return new Architecture(
                Architecture.hiddenOf(architecture),
                activation == null ? HiddenActivation.RELU : HiddenActivation.fromLabel(activation),
                Variant.fromLabel(variant));
    }
}
