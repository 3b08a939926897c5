package de.nnkurs.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The draw-a-digit page's files, read as text: the ids the browser tests and the course rely on, a
 * phone's viewport, and nothing loaded from anywhere but the page's own two files.
 */
class PageFilesTest {

    private static final String PAGE = "/de/nnkurs/web/page/";

    @Test
    void theStableIdsAreThereOnceEach() throws IOException {
        String html = read("index.html");
        for (String id :
                List.of(
                        "canvas",
                        "clear",
                        "file",
                        "prediction",
                        "probabilities",
                        "seen",
                        "message")) {
            Matcher m = Pattern.compile("id=\"" + id + "\"").matcher(html);
            int count = 0;
            while (m.find()) {
                count++;
            }
            assertEquals(1, count, "id " + id);
        }
    }

    @Test
    void thePageLoadsOnlyItsOwnScriptAndStyleSheet() throws IOException {
        String html = read("index.html");
        List<String> loaded = new ArrayList<>();
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
        while (m.find()) {
            loaded.add(m.group(1));
        }
        assertEquals(List.of("page.css", "page.js"), loaded.stream().sorted().toList());
        String css = read("page.css");
        assertFalse(css.contains("@import") || css.contains("url("), "page.css loads nothing");
        String js = read("page.js");
        assertFalse(
                js.contains("import ") || js.contains("importScripts"), "page.js loads nothing");
    }

    @Test
    void thePageIsMadeForAPhoneToo() throws IOException {
        String html = read("index.html");
        assertTrue(
                html.contains("<meta name=\"viewport\" content=\"width=device-width,"),
                "viewport meta");
        assertTrue(read("page.css").contains("touch-action: none"), "a finger draws, not scrolls");
    }

    private static String read(String name) throws IOException {
        try (InputStream in = PageFilesTest.class.getResourceAsStream(PAGE + name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
