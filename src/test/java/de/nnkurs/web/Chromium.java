package de.nnkurs.web;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A headless Chromium driven by the system's chromedriver (Debian's {@code chromium} and {@code
 * chromium-driver}). Both paths are given to Selenium, so Selenium Manager never runs and nothing
 * is downloaded. Without them the browser tests are skipped on a developer's machine, but fail when
 * the environment variable {@code CI} is set, so CI always runs them.
 */
final class Chromium {

    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {}

    /** Starts a headless Chromium whose page area is {@code width}×{@code height} CSS pixels. */
    static ChromeDriver start(int width, int height) {
        for (Path needed : new Path[] {BROWSER, DRIVER}) {
            if (!Files.isExecutable(needed)) {
                String why =
                        needed
                                + " is missing; install Debian's chromium and chromium-driver"
                                + " (.ci/run does) to run the browser tests";
                if (System.getenv("CI") != null) {
                    fail(why);
                }
                Assumptions.abort(why);
            }
        }
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(DRIVER.toFile())
                        .usingAnyFreePort()
                        .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments(
                "--headless=new",
                "--window-size=" + width + "," + height,
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--no-first-run",
                "--disable-extensions");
        if ("root".equals(System.getProperty("user.name"))) {
            // Chromium's sandbox refuses to run as root (a container, CI).
            options.addArguments("--no-sandbox");
        }
        ChromeDriver driver = new ChromeDriver(service, options);
        // The window's size includes the browser's own frame; make the page area the asked size.
        List<?> inner =
                (List<?>) driver.executeScript("return [window.innerWidth, window.innerHeight];");
        Dimension outer = driver.manage().window().getSize();
        driver.manage()
                .window()
                .setSize(
                        new Dimension(
                                outer.getWidth() + width - ((Number) inner.get(0)).intValue(),
                                outer.getHeight() + height - ((Number) inner.get(1)).intValue()));
        return driver;
    }
}
