package de.nnkurs;

/**
 * A setting that the library refuses, named as on the command line without its dashes: the message
 * reads {@code lr must be a positive number, got -1.0}, and the command line shows it as {@code
 * --lr must be …}. Each rule lives once, in the class that owns the value.
 */
public final class InvalidSettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String setting;
    private final String problem;

    /**
     * Creates the exception.
     *
     * @param setting the setting's name, e.g. {@code batch-size}
     * @param problem what is wrong, e.g. {@code must be at least 1, got 0}
     */
    public InvalidSettingException(String setting, String problem) {
        super(setting + " " + problem);
        this.setting = setting;
        this.problem = problem;
    }

    /** Returns the setting's name, e.g. {@code batch-size}. */
    public String setting() {
        return setting;
    }

    /** Returns what is wrong, without the setting's name, e.g. {@code must be at least 1}. */
    public String problem() {
        return problem;
    }
}
