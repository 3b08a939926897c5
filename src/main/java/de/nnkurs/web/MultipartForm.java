package de.nnkurs.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fields of a {@code multipart/form-data} body (RFC 7578), as DJL Serving hands them to the
 * translator: each field's name and bytes, in order ({@code curl -F data=@digit.png}).
 */
final class MultipartForm {

    private static final Pattern BOUNDARY =
            Pattern.compile("(?i);\\s*boundary=(?:\"([^\"]+)\"|([^;\\s]+))");
    private static final Pattern NAME = Pattern.compile("(?i);\\s*name=\"([^\"]*)\"");

    private MultipartForm() {}

    /**
     * Splits a form into its fields.
     *
     * @param body the request body
     * @param contentType the request's {@code Content-Type}, with its {@code boundary}
     * @return name and bytes of each field, in order
     * @throws IllegalArgumentException saying what is malformed
     */
    static List<Map.Entry<String, byte[]>> fields(byte[] body, String contentType) {
        Matcher b = BOUNDARY.matcher(contentType);
        if (!b.find()) {
            throw new IllegalArgumentException("multipart form without a boundary");
        }
        byte[] delimiter =
                ("--" + (b.group(1) != null ? b.group(1) : b.group(2)))
                        .getBytes(StandardCharsets.ISO_8859_1);
        List<Map.Entry<String, byte[]>> fields = new ArrayList<>();
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw new IllegalArgumentException("multipart form without its boundary");
        }
        while (true) {
            int start = at + delimiter.length;
            if (startsWith(body, start, "--")) {
                return fields; // the closing delimiter
            }
            start = skipLineEnd(body, start);
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
            if (headersEnd < 0) {
                throw new IllegalArgumentException("multipart form: a part without its headers");
            }
            String headers =
                    new String(body, start, headersEnd - start, StandardCharsets.ISO_8859_1);
            int next = indexOf(body, delimiter, headersEnd + 4);
            if (next < 0) {
                throw new IllegalArgumentException("multipart form without its closing boundary");
            }
            int end = next;
            if (end >= 2 && body[end - 2] == '\r' && body[end - 1] == '\n') {
                end -= 2;
            }
            byte[] value = new byte[Math.max(0, end - (headersEnd + 4))];
            System.arraycopy(body, headersEnd + 4, value, 0, value.length);
            fields.add(Map.entry(name(headers), value));
            at = next;
        }
    }

    private static String name(String headers) {
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
                Matcher m = NAME.matcher(line);
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        throw new IllegalArgumentException("multipart form: a part without a name");
    }

    private static int skipLineEnd(byte[] body, int at) {
        if (startsWith(body, at, "\r\n")) {
            return at + 2;
        }
        throw new IllegalArgumentException("multipart form: a boundary not followed by a line end");
    }

    private static boolean startsWith(byte[] body, int at, String text) {
        if (at + text.length() > body.length) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (body[at + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] body, byte[] what, int from) {
        outer:
        for (int i = from; i + what.length <= body.length; i++) {
            for (int k = 0; k < what.length; k++) {
                if (body[i + k] != what[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
