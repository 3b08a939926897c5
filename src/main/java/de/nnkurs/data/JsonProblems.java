package de.nnkurs.data;

import com.google.gson.stream.MalformedJsonException;

import java.io.EOFException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gson's complaints as one short clause: where, then what, without the exception class names and
 * the troubleshooting URL that Gson appends on a second line.
 */
public final class JsonProblems {

    private static final Pattern WHERE =
            Pattern.compile(
                    "(.*?)\\s+at line (\\d+) column (\\d+)(?: path (\\S+))?.*", Pattern.DOTALL);
    private static final Pattern CLASS_PREFIX = Pattern.compile("^([a-z]+\\.)+[A-Z]\\w*: ");

    private JsonProblems() {}

    /**
     * Returns whether the text was not JSON at all, rather than JSON of another layout.
     *
     * @param e what Gson threw
     * @return true for a syntax error or an early end
     */
    public static boolean isSyntax(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MalformedJsonException || t instanceof EOFException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Describes what Gson threw in one line.
     *
     * @param e what Gson threw
     * @return e.g. {@code "line 3, column 5: Unterminated object"}
     */
    public static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null
                && t.getMessage() != null
                && t.getCause().getMessage() != null
                && t.getMessage()
                        .contains(t.getCause().getMessage().lines().findFirst().orElse(""))) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int see = m.indexOf("\nSee ");
        if (see >= 0) {
            m = m.substring(0, see);
        }
        m = CLASS_PREFIX.matcher(m.strip()).replaceFirst("");
        Matcher where = WHERE.matcher(m);
        if (where.matches()) {
            String what = where.group(1).strip();
            String path = where.group(4);
            return "line "
                    + where.group(2)
                    + ", column "
                    + where.group(3)
                    + ": "
                    + what
                    + (path == null || path.equals("$") ? "" : " (at " + path + ")");
        }
        int line = m.indexOf('\n');
        return (line >= 0 ? m.substring(0, line) : m).strip();
    }
}
