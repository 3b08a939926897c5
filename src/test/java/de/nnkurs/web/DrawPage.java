package de.nnkurs.web;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Pause;
import org.openqa.selenium.interactions.PointerInput;
import org.openqa.selenium.interactions.Sequence;
import org.openqa.selenium.remote.RemoteWebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The draw-a-digit page in a browser, as a test sees it: upload a file, draw strokes with pointer
 * actions, and read the answer from the page's stable ids.
 */
final class DrawPage {

    /** The drawing canvas's own resolution (its width and height attributes). */
    static final int SIDE = 280;

    /** A point on the canvas, in its own 280×280 pixels. */
    record Point(double x, double y) {}

    private static final Duration ANSWER = Duration.ofSeconds(60);

    private final RemoteWebDriver driver;

    DrawPage(RemoteWebDriver driver, URI page) {
        this.driver = driver;
        driver.get(page.toString());
        new WebDriverWait(driver, ANSWER)
                .until(d -> "ready".equals(attribute("body", "data-state")));
    }

    /** Uploads a file through the page's file input and waits for the server's answer. */
    void upload(Path file) {
        int before = answered();
        driver.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
        awaitAnswers(before + 1);
    }

    /** Draws strokes with a pointer of the given kind (each ends in pointerup) and waits. */
    void draw(PointerInput.Kind kind, List<List<Point>> strokes) {
        int before = answered();
        Map<?, ?> box =
                (Map<?, ?>)
                        script(
                                "const r ="
                                    + " document.getElementById('canvas').getBoundingClientRect();"
                                    + " return {x: r.left, y: r.top, w: r.width, h: r.height};");
        double left = number(box.get("x"));
        double top = number(box.get("y"));
        double scaleX = number(box.get("w")) / SIDE;
        double scaleY = number(box.get("h")) / SIDE;
        PointerInput pointer = new PointerInput(kind, "drawing-" + kind.name().toLowerCase());
        Sequence moves = new Sequence(pointer, 0);
        for (List<Point> stroke : strokes) {
            boolean first = true;
            for (Point p : stroke) {
                int x = (int) Math.round(left + p.x() * scaleX);
                int y = (int) Math.round(top + p.y() * scaleY);
                moves.addAction(
                        pointer.createPointerMove(
                                Duration.ofMillis(first ? 0 : 10),
                                PointerInput.Origin.viewport(),
                                x,
                                y));
                if (first) {
                    moves.addAction(
                            pointer.createPointerDown(PointerInput.MouseButton.LEFT.asArg()));
                    first = false;
                }
            }
            moves.addAction(pointer.createPointerUp(PointerInput.MouseButton.LEFT.asArg()));
            moves.addAction(new Pause(pointer, Duration.ofMillis(50)));
        }
        driver.perform(List.of(moves));
        awaitAnswers(before + strokes.size());
    }

    /** Presses the clear button. */
    void clear() {
        driver.findElement(By.id("clear")).click();
    }

    /** Returns the top digit shown, or "" if none. */
    String prediction() {
        return driver.findElement(By.id("prediction")).getText().trim();
    }

    /** Returns the message line (errors). */
    String message() {
        return driver.findElement(By.id("message")).getText().trim();
    }

    /** Returns the bar chart's children. */
    List<WebElement> bars() {
        return driver.findElements(By.cssSelector("#probabilities > *"));
    }

    /** Returns the probability each bar shows (NaN where the server gave none). */
    List<Double> probabilities() {
        List<Double> values = new ArrayList<>();
        for (WebElement bar : bars()) {
            String value = bar.getDomAttribute("data-probability");
            values.add(value == null || value.isEmpty() ? Double.NaN : Double.parseDouble(value));
        }
        return values;
    }

    /** Returns the percentage texts of the bars, e.g. "97.3 %". */
    List<String> percentages() {
        List<String> texts = new ArrayList<>();
        for (WebElement bar : bars()) {
            texts.add(bar.findElement(By.className("pct")).getText().trim());
        }
        return texts;
    }

    /** Returns the 784 gray values the seen picture got from the server, or null if none. */
    byte[] seenData() {
        String base64 = attribute("#seen", "data-seen");
        return base64 == null || base64.isEmpty() ? null : Base64.getDecoder().decode(base64);
    }

    /** Returns the 784 gray values the seen canvas shows (its red channel, as drawn). */
    byte[] seenPixels() {
        List<?> values =
                (List<?>)
                        script(
                                "const g = document.getElementById('seen').getContext('2d');"
                                        + " const d = g.getImageData(0, 0, 28, 28).data;"
                                        + " const out = [];"
                                        + " for (let i = 0; i < d.length; i += 4) out.push(d[i]);"
                                        + " return out;");
        byte[] gray = new byte[values.size()];
        for (int i = 0; i < gray.length; i++) {
            gray[i] = (byte) ((Number) values.get(i)).intValue();
        }
        return gray;
    }

    /** Returns the note shown under the seen picture, or "" if hidden. */
    String seenNote() {
        WebElement note = driver.findElement(By.id("seen-note"));
        return note.isDisplayed() ? note.getText().trim() : "";
    }

    /** Returns how many requests the page has had answered (or failed). */
    int answered() {
        return Integer.parseInt(attribute("body", "data-answered"));
    }

    WebDriver driver() {
        return driver;
    }

    private void awaitAnswers(int count) {
        new WebDriverWait(driver, ANSWER)
                .until(
                        d ->
                                answered() >= count
                                        && attribute("body", "data-answered")
                                                .equals(attribute("body", "data-sent")));
    }

    private String attribute(String selector, String name) {
        return driver.findElement(By.cssSelector(selector)).getDomAttribute(name);
    }

    private Object script(String code) {
        return ((JavascriptExecutor) driver).executeScript(code);
    }

    private static double number(Object value) {
        return ((Number) value).doubleValue();
    }
}
