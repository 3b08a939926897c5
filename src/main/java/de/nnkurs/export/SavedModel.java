package de.nnkurs.export;

import ai.djl.MalformedModelException;
import ai.djl.Model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import de.nnkurs.Lesson;
import de.nnkurs.data.InvalidDataException;
import de.nnkurs.io.AtomicDirectory;
import de.nnkurs.model.Architecture;
import de.nnkurs.model.Models;
import de.nnkurs.model.Variant;
import de.nnkurs.model.HiddenActivation;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A trained model on disk: DJL parameters ({@code <name>-<epoch>.params}) plus {@code
 * metadata.json}, in a folder named like the model.
 */
public final class SavedModel {

    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private SavedModel() {}

    /**
     * Saves the model's parameters and metadata into {@code dir}, atomically.
     *
     * @param model a model with an initialised block
     * @param dir the model folder; its name becomes the model name
     * @param metadata how the model was made; its name must equal the folder name
     * @throws IOException if writing fails; an earlier model in {@code dir} is then kept
     */
    public static void save(Model model, Path dir, ModelMetadata metadata) throws IOException {
        String name = nameOf(dir);
        if (!name.equals(metadata.name())) {
            throw new IllegalArgumentException(
                    "metadata name " + metadata.name() + " differs from folder name " + name);
        }
        model.setProperty("Epoch", Integer.toString(metadata.epochs()));
        AtomicDirectory.write(
                dir,
                existing -> Files.isRegularFile(existing.resolve(ModelMetadata.FILE_NAME)),
                "a model folder (no metadata.json)",
                tmp -> {
                    model.save(tmp, name);
                    try (Writer w =
                            Files.newBufferedWriter(
                                    tmp.resolve(ModelMetadata.FILE_NAME), StandardCharsets.UTF_8)) {
                        GSON.toJson(metadata, w);
                    }
                });
    }

    /**
     * Reads a model folder's metadata.
     *
     * @param dir the model folder
     * @return the metadata
     * @throws InvalidDataException if the file is missing or not valid metadata
     * @throws IOException if reading fails
     */
    public static ModelMetadata readMetadata(Path dir) throws IOException {
        Path file = dir.resolve(ModelMetadata.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new InvalidDataException(file, "no such file; is " + dir + " a model folder?");
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            ModelMetadata meta = GSON.fromJson(r, ModelMetadata.class);
            if (meta == null || meta.name() == null || meta.variant() == null) {
                throw new InvalidDataException(file, "missing name or variant");
            }
            return meta;
        } catch (JsonParseException e) {
            throw new InvalidDataException(file, "not valid JSON (" + e.getMessage() + ")");
        }
    }

    /**
     * Loads a saved model: rebuilds the block from the metadata and reads the parameters.
     *
     * @param dir the model folder
     * @return the model; the caller closes it
     * @throws IOException if the folder, metadata or parameters are missing or malformed
     */
    public static Model load(Path dir) throws IOException {
        ModelMetadata meta = readMetadata(dir);
        Variant variant;
        try {
            variant = Variant.valueOf(meta.variant().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidDataException(
                    dir.resolve(ModelMetadata.FILE_NAME), "unknown variant " + meta.variant());
        }
        Architecture architecture;
        try {
            architecture =
                    new Architecture(
                            Architecture.hiddenOf(meta.architecture()),
                            meta.activation() == null
                                    ? HiddenActivation.RELU
                                    : HiddenActivation.fromName(meta.activation()),
                            variant);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidDataException(
                    dir.resolve(ModelMetadata.FILE_NAME),
                    "unusable architecture (" + e.getMessage() + ")");
        }
        Model model = Model.newInstance(meta.name());
        try {
            model.setBlock(Models.sequential(architecture));
            // Initialise first: a block that only loaded its parameters lacks its input names,
            // and DJL then refuses to save it again.
            Models.initialize(model.getBlock(), model.getNDManager(), Lesson.SEED);
            model.load(dir, meta.name());
            return model;
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw new InvalidDataException(dir, "cannot load parameters (" + e.getMessage() + ")");
        }
    }

    private static String nameOf(Path dir) {
        Path file = dir.toAbsolutePath().normalize().getFileName();
        if (file == null) {
            throw new IllegalArgumentException(dir + ": not a usable model folder name");
        }
        return file.toString();
    }
}
