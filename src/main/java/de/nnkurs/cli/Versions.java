package de.nnkurs.cli;

import ai.djl.engine.Engine;

import picocli.CommandLine.IVersionProvider;

/** Reports the versions that matter for reproducing a run. */
final class Versions implements IVersionProvider {

    /** The jar's version, or {@code (development build)} when run from classes. */
    private static String ownVersion() {
        String version = Versions.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }

    @Override
    public String[] getVersion() {
        Engine engine = Engine.getInstance();
        return new String[] {
            "nnkurs " + ownVersion(),
            "DJL "
                    + Engine.getDjlVersion()
                    + ", "
                    + engine.getEngineName()
                    + " "
                    + engine.getVersion(),
            "Java " + System.getProperty("java.version")
        };
    }
}
