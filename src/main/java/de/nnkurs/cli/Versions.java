package de.nnkurs.cli;

import ai.djl.engine.Engine;

import picocli.CommandLine.IVersionProvider;

/** Reports the versions that matter for reproducing a run. */
final class Versions implements IVersionProvider {

    @Override
    public String[] getVersion() {
        Engine engine = Engine.getInstance();
        return new String[] {
            "nnkurs " + Versions.class.getPackage().getImplementationVersion(),
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
