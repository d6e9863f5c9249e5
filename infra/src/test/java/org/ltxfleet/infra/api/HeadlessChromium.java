package org.ltxfleet.infra.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.ltxfleet.common.json.Json;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium driven through its chromedriver, both Debian's ({@code apt-get install
 * chromium chromium-driver}; {@code .ci/run} installs them). Both are named by path, so Selenium
 * Manager never looks for (or downloads) a browser or driver. A fresh profile and download folder
 * per instance; nothing the browser does by itself (updates, sync, sign-in) goes to the network.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path BROWSER = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("chromium.driver", "/usr/bin/chromedriver"));

    /**
     * Selenium looks for typed DevTools bindings of the browser's version and warns that it has none;
     * these tests send raw DevTools commands through the driver and need none. Held here: a logger's
     * level lasts only while something holds the logger.
     */
    private static final java.util.logging.Logger DEVTOOLS_LOG = quiet("org.openqa.selenium.devtools");

    private final ChromeDriver driver;
    private final Path profile;
    private final Path downloads;

    private HeadlessChromium(ChromeDriver driver, Path profile, Path downloads) {
        this.driver = driver;
        this.profile = profile;
        this.downloads = downloads;
    }

    /** Starts the browser; fails, naming the packages, when they are not installed. */
    static HeadlessChromium start() throws IOException {
        for (Path binary : List.of(BROWSER, DRIVER)) {
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException(binary + " is missing: the console's browser tests need Debian's "
                        + "chromium and chromium-driver (apt-get install -y chromium chromium-driver; .ci/run installs "
                        + "them), or -Dchromium.binary=… -Dchromium.driver=… naming a Chromium and its driver");
            }
        }
        Path profile = Files.createTempDirectory("console-it-profile");
        Path downloads = Files.createTempDirectory("console-it-downloads");
        var options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--disable-features=Translate,MediaRouter,OptimizationHints", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--window-size=1920,1200");
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false, "safebrowsing.enabled", false));
        var logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        var service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort()
                .build();
        var driver = new ChromeDriver(service, options);
        // Downloads land in the test's folder without a prompt (headless Chromium asks the driver).
        driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow",
                "downloadPath", downloads.toString()));
        var browser = new HeadlessChromium(driver, profile, downloads);
        // The browser's own new-tab page loaded before any test page: not a request of the pages under test.
        driver.get("about:blank");
        browser.requestsSent();
        return browser;
    }

    private static java.util.logging.Logger quiet(String name) {
        var logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(Level.SEVERE);
        return logger;
    }

    ChromeDriver driver() {
        return driver;
    }

    Path downloads() {
        return downloads;
    }

    /** Lays the page out at {@code width} × {@code height} CSS pixels (a phone at 375, a desktop at 1920). */
    void viewport(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", width < 600));
    }

    /** A PNG of the whole page at the current viewport's width, written to {@code file}. */
    void screenshot(Path file) throws IOException {
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
    }

    /** The URL of every request the pages sent since the last call (Chrome's network events). */
    List<URI> requestsSent() {
        var urls = new ArrayList<URI>();
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode message = Json.readTree(entry.getMessage().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .path("message");
            if ("Network.requestWillBeSent".equals(message.path("method").asText())) {
                urls.add(URI.create(message.path("params").path("request").path("url").asText()));
            }
        }
        return urls;
    }

    /** What the pages logged to the console since the last call (errors, CSP reports). */
    List<String> consoleMessages() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage).toList();
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            deleteTree(profile);
            deleteTree(downloads);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
