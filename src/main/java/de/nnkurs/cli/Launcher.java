package de.nnkurs.cli;

import java.nio.file.Path;

/**
 * The jar's entry point: checks that the libraries the jar's manifest names ({@code lib/*.jar}
 * beside it) are there, so that a jar copied without them fails with one line instead of a {@code
 * NoClassDefFoundError}, then runs {@link Main}. It refers to no library class itself.
 */
public final class Launcher {

    private Launcher() {}

    /**
     * Runs the command line, or explains in one line what is missing.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        for (String required : new String[] {"picocli.CommandLine", "ai.djl.engine.Engine"}) {
            try {
                Class.forName(required, false, Launcher.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                System.err.println(
                        "nnkurs: "
                                + required
                                + " is missing: run the jar where Maven built it, with its lib/"
                                + " folder beside it ("
                                + jarFolder()
                                + "/lib), or copy lib/ along with the jar");
                System.exit(1); // Main.EXIT_FAILURE, without loading Main
            }
        }
        Main.main(args);
    }

    private static String jarFolder() {
        try {
            Path jar =
                    Path.of(
                            Launcher.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            return String.valueOf(jar.getParent());
        } catch (Exception e) {
            return "the jar's folder";
        }
    }
}
