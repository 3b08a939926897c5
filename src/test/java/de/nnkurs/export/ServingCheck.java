package de.nnkurs.export;

import ai.djl.inference.Predictor;
import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Plays DJL Serving in a separate JVM whose class path holds DJL but none of this project's
 * classes: reads {@code serving.properties} into Criteria arguments and options, loads the model
 * with {@code Input}/{@code Output} types and answers each PNG with the server's JSON.
 *
 * <p>Arguments: model folder or zip, a file of length-prefixed pictures, the output file (one JSON
 * answer per line). Uses only DJL and the JDK, on purpose.
 */
public final class ServingCheck {

    private ServingCheck() {}

    public static void main(String[] args) throws Exception {
        try {
            Class.forName("de.nnkurs.Lesson");
            throw new IllegalStateException("the project's classes are on this class path");
        } catch (ClassNotFoundException expected) {
            // as on a DJL Serving instance
        }
        try {
            Class.forName("de.nnkurs.serving.DigitServingTranslator");
            throw new IllegalStateException("the translator is on this class path");
        } catch (ClassNotFoundException expected) {
            // DJL must find it in the export's libs/ jar
        }
        Path model = Path.of(args[0]);
        Properties properties = readProperties(model);
        Map<String, Object> arguments = new HashMap<>();
        Map<String, String> options = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("option.")) {
                options.put(key.substring(7), properties.getProperty(key));
            } else {
                arguments.put(key, properties.getProperty(key));
            }
        }
        Criteria<Input, Output> criteria =
                Criteria.builder()
                        .setTypes(Input.class, Output.class)
                        .optModelPath(model)
                        .optArguments(arguments)
                        .optOptions(options)
                        .build();
        List<byte[]> images = readImages(Path.of(args[1]));
        List<String> answers = new ArrayList<>();
        try (ZooModel<Input, Output> zoo = criteria.loadModel();
                Predictor<Input, Output> predictor = zoo.newPredictor()) {
            for (int start = 0; start < images.size(); start += 500) {
                List<Input> batch = new ArrayList<>();
                for (byte[] png : images.subList(start, Math.min(start + 500, images.size()))) {
                    Input input = new Input();
                    input.add("data", png);
                    batch.add(input);
                }
                for (Output output : predictor.batchPredict(batch)) {
                    if (output.getCode() != 200) {
                        throw new IllegalStateException(
                                "answer " + output.getCode() + " " + output.getMessage());
                    }
                    answers.add(output.getData().getAsString().replace("\n", " "));
                }
            }
        }
        Files.write(Path.of(args[2]), answers, StandardCharsets.UTF_8);
    }

    private static Properties readProperties(Path model) throws Exception {
        Properties p = new Properties();
        if (Files.isDirectory(model)) {
            try (Reader r = Files.newBufferedReader(model.resolve("serving.properties"))) {
                p.load(r);
            }
            return p;
        }
        try (ZipFile zip = new ZipFile(model.toFile())) {
            ZipEntry entry =
                    zip.stream()
                            .filter(e -> e.getName().endsWith("serving.properties"))
                            .findFirst()
                            .orElseThrow();
            try (InputStream in = zip.getInputStream(entry)) {
                p.load(new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        return p;
    }

    private static List<byte[]> readImages(Path file) throws Exception {
        List<byte[]> images = new ArrayList<>();
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                byte[] png = new byte[in.readInt()];
                in.readFully(png);
                images.add(png);
            }
        }
        return images;
    }
}
