package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.common.s3.S3Settings;
import org.ltxfleet.gateway.Gateway;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.infra.demo.SampleClipGenerator;
import org.ltxfleet.infra.stack.FleetStack;
import org.ltxfleet.infra.stack.StackOptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real headless Chromium against a stack of its own (real broker, store,
 * gateway and workers; its own, so that its history holds only its jobs): sign in, submit through
 * the form with a zip and keyframe images uploaded from disk, watch the loss curve grow, play the
 * reel, download the LoRA; problems beside their fields; markup in a log line stays text; another
 * key's job is not found; no request leaves for another origin than the gateway and its store.
 * Screenshots of the pages go to {@code console.screenshots.dir} (README's come from here).
 */
@CpuBound(seconds = 150)
class ConsoleIT {

    /** A clip whose name is markup: the preprocess worker names it in a log line when it skips it. */
    private static final String MARKUP = "<img src=x onerror=window.__pwned=1>";
    private static final Path SCREENSHOTS = Path.of(System.getProperty("console.screenshots.dir",
            "target/console-screenshots"));
    private static final Duration JOB_LIMIT = Duration.ofMinutes(6);

    private static FleetStack stack;
    private static HeadlessChromium chromium;
    private static ChromeDriver driver;
    private static URI console;
    private static String storeOrigin;

    @BeforeAll
    static void start() throws Exception {
        stack = TestStacks.start(StackOptions.forTests(Files.createTempDirectory("fleet-it-console")));
        chromium = HeadlessChromium.start();
        driver = chromium.driver();
        // The address ./fleet up prints.
        assertThat(stack.describe().get("Console")).startsWith(stack.gatewayUrl() + "/console/");
        console = stack.consoleUrl().orElseThrow();
        Path probe = Files.createTempFile("console-it-probe", ".txt");
        try {
            storeOrigin = origin(URI.create(stack.publish("it/origin-probe", probe)));
        } finally {
            Files.delete(probe);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aJobSubmittedThroughTheFormTrainsLiveAndItsOutputsDownload(@TempDir Path dir) throws Exception {
        Path zip = datasetWithMarkupClip(dir);
        SampleClipGenerator.quietFfmpegLogs();
        Path start = SampleClipGenerator.writeFramePng(dir.resolve("start.png"), 256, 256, 33, 7, 9, 0);
        Path end = SampleClipGenerator.writeFramePng(dir.resolve("end.png"), 256, 256, 33, 7, 9, 32);
        chromium.requestsSent(); // from here on, every request counts
        int jobsBefore = history(stack.apiKey(), "?limit=100").path("requests").size();
        try (var receiver = new WebhookReceiver()) {
            signIn(stack.apiKey());
            open("#/new");
            fillTheSmallestJob();
            type("trigger_phrase", "console");
            driver.findElement(By.cssSelector("input[data-file-for='training_data_url']")).sendKeys(zip.toString());
            driver.findElement(By.id("add-sample")).click();
            driver.findElement(By.name("validation.0.prompt")).sendKeys("a shape moving");
            driver.findElement(By.cssSelector("input[data-file-for='validation.0.start_image_url']")).sendKeys(start.toString());
            driver.findElement(By.cssSelector("input[data-file-for='validation.0.end_image_url']")).sendKeys(end.toString());
            type("fal_webhook", receiver.url("/hook").toString());
            for (String key : List.of("training_data_url", "validation.0.start_image_url", "validation.0.end_image_url")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> script(
                        "return document.querySelector(\"progress[data-progress-for='" + key + "']\").value") , v -> ((Number) v).doubleValue() == 1.0);
                assertThat(text("[data-progress-text-for='" + key + "']")).startsWith("Uploaded ");
            }
            screenshot("console-form.png", 1920, 1080);

            new Actions(driver).doubleClick(driver.findElement(By.id("submit-job"))).perform();
            await().atMost(Duration.ofSeconds(30)).until(() -> driver.getCurrentUrl().contains("#/jobs/"));
            String id = driver.findElement(By.id("job-id")).getText();
            assertThat(history(stack.apiKey(), "?limit=100").path("requests")).as("a double click makes one job")
                    .hasSize(jobsBefore + 1);

            // The loss curve grows as progress events arrive over the status stream.
            await().atMost(JOB_LIMIT).until(() -> lossPoints() >= 2);
            long seen = lossPoints();
            assertThat(text("#progress-text")).startsWith("train: ");
            await().atMost(JOB_LIMIT).until(() -> lossPoints() > seen);
            await().atMost(JOB_LIMIT).until(() -> text("#job-state"), s -> s.matches("COMPLETED|FAILED|CANCELED"));
            assertThat(text("#job-state")).as(text("#job-error")).isEqualTo("COMPLETED");
            assertThat(lossPoints()).isGreaterThanOrEqualTo(100 / 5);

            // Markup in a log line is shown as the characters it is, and runs nothing.
            await().atMost(Duration.ofSeconds(10)).until(() -> text("#logs").contains(MARKUP + ".mp4: skipped"));
            assertThat(script("return document.querySelectorAll('#logs img').length")).isEqualTo(0L);
            assertThat(script("return window.__pwned === undefined")).isEqualTo(true);

            // The reel plays in the page, its keyframes beside it, both from the store.
            await().atMost(Duration.ofSeconds(20)).until(() -> !driver.findElements(By.id("reel")).isEmpty());
            script("document.getElementById('reel').play()");
            await().atMost(Duration.ofSeconds(20)).until(() -> ((Number) script(
                    "return document.getElementById('reel').currentTime")).doubleValue() > 0);
            assertThat(script("return document.getElementById('reel').error")).isNull();
            await().atMost(Duration.ofSeconds(10)).until(() -> script(
                    "return [...document.querySelectorAll('img.keyframe')].filter(i => i.complete && i.naturalWidth > 0).length"),
                    n -> ((Number) n).intValue() == 2);

            await().atMost(Duration.ofSeconds(30)).until(() -> text("#units"), u -> u.equals("100 units"));
            await().atMost(Duration.ofSeconds(30)).until(() -> text("#webhook-attempts"), t -> t.contains("delivered"));
            driver.findElement(By.id("redeliver")).click();
            await().atMost(Duration.ofSeconds(10)).until(() -> text("#redeliver-result"), t -> t.startsWith("Redelivery queued"));
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.receivedFor(id).size() == 2);

            screenshot("console-job.png", 1920, 1080);
            screenshot("console-job-375.png", 375, 812);
            chromium.viewport(1920, 1080);

            driver.findElement(By.cssSelector("a[data-output='lora_file']")).click();
            Path lora = chromium.downloads().resolve("lora.safetensors");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(lora)
                    && Files.list(chromium.downloads()).noneMatch(p -> p.toString().endsWith(".crdownload")));
            try (var store = ObjectStore.open(S3Settings.from(stack.config()))) {
                assertThat(Files.readAllBytes(lora)).isEqualTo(store.bytes("jobs/" + id + "/outputs/lora.safetensors"));
            }

            open("#/jobs");
            await().atMost(Duration.ofSeconds(10)).until(() -> text("#history"), t -> t.contains(id) && t.contains("COMPLETED"));
            assertOnlyOwnOrigins(true);
        }
    }

    @Test
    void problemsShowBesideTheirFieldsFoundByThePageOrByTheGateway() throws Exception {
        signIn(stack.apiKey());
        open("#/new");
        fillTheSmallestJob();
        type("number_of_steps", "50");
        type("training_data_url", "https://example.com/clips.zip");
        chromium.requestsSent();
        driver.findElement(By.id("submit-job")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> text("[data-error-for='number_of_steps']"),
                t -> t.equals("Input should be greater than or equal to 100"));
        assertThat(chromium.requestsSent()).as("the page's own check sends nothing")
                .noneMatch(u -> u.getPath().endsWith(GatewaySettings.ENDPOINT_ID));

        // java.net.URI takes no "_" in a host name, the browser's URL parser does: the gateway's 422 tells.
        type("number_of_steps", "100");
        type("training_data_url", "http://bad_host.example/clips.zip");
        driver.findElement(By.id("submit-job")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> text("[data-error-for='training_data_url']"),
                t -> t.equals("Input should be a valid URL, invalid host or port"));
        assertThat(text("[data-error-for='number_of_steps']")).isEmpty();
        assertThat(chromium.requestsSent()).anyMatch(u -> u.getPath().endsWith(GatewaySettings.ENDPOINT_ID));
    }

    @Test
    void thePageChecksAnInputAsTheGatewayDoes() throws Exception {
        signIn(stack.apiKey());
        var client = TestStacks.client(stack);
        List<String> inputs = List.of("{}",
                "{\"training_data_url\":\"ftp://x\",\"rank\":7,\"number_of_steps\":50.5,\"learning_rate\":0,"
                        + "\"resolution\":\"x\",\"stg_scale\":4,\"number_of_frames\":200,\"include_middle_keyframe\":true,"
                        + "\"validation\":[{\"prompt\":\" \",\"start_image_url\":\"http://a:0/\"}]}",
                "{\"training_data_url\":\"https://example.com/a.zip\",\"trigger_phrase\":\"" + "x".repeat(201) + "\","
                        + "\"frame_rate\":7,\"split_input_duration_threshold\":0.5,\"validation_aspect_ratio\":\"4:3\","
                        + "\"learning_rate\":0.02,\"validation_frame_rate\":61,\"number_of_steps\":20001}",
                "{\"training_data_url\":\"https://example.com/a.zip\",\"validation\":[{},{},{}]}",
                "{\"training_data_url\":\"example.com/a.zip\",\"debug_dataset\":true}",
                "{\"training_data_url\":\"https://example.com/a.zip\",\"validation\":[{\"prompt\":\"p\","
                        + "\"start_image_url\":\"mailto:a@b\",\"end_image_url\":\"https://e.com/e.png\"}]}");
        for (String input : inputs) {
            var answer = client.submit(input);
            assertThat(answer.status()).as(input).isEqualTo(422);
            Object page = driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "import('./js/fields.js').then(m => done(JSON.stringify(m.validate(JSON.parse(arguments[0])))))"
                    + ".catch(e => done('failed: ' + e));", input);
            assertThat(problems(Json.readTree(page.toString().getBytes()))).as(input)
                    .isEqualTo(problems(answer.body().get("detail")));
        }
    }

    @Test
    void theHistoryIsLiveAndAnotherKeysJobIsNotFound() throws Exception {
        signIn(stack.apiKey());
        open("#/jobs");
        // A dataset nobody serves: the job fails in preprocessing, billed 0.
        var input = TestStacks.smallJob("http://127.0.0.1:9/missing.zip", 100);
        String id = TestStacks.client(stack).submit(Json.toString(input)).body().get("request_id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> text("#history"), t -> t.contains(id));
        await().atMost(Duration.ofSeconds(60)).until(() -> text("tr[data-request-id='" + id + "']"),
                t -> t.contains("FAILED"));

        signIn(TestStacks.OTHER_KEY);
        open("#/jobs/" + id);
        await().atMost(Duration.ofSeconds(10)).until(() -> text("main"), t -> t.contains("Request not found"));
        assertThat(driver.findElements(By.id("job-state"))).isEmpty();
        assertOnlyOwnOrigins(false);
    }

    @Test
    void theConsoleAnswersWithItsPolicyAndCanBeTurnedOff() throws Exception {
        try (var http = HttpClient.newHttpClient()) {
            var page = http.send(HttpRequest.newBuilder(console).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("default-src 'self'", "connect-src 'self'", "media-src 'self' " + storeOrigin,
                            "img-src 'self' blob: " + storeOrigin, "frame-ancestors 'none'");
            try (Gateway off = Gateway.start(stack.config().with("gateway.port", "0")
                    .with("gateway.console.enabled", "false"))) {
                var gone = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + off.port() + "/console/"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(gone.statusCode()).isEqualTo(404);
            }
        }
    }

    /** The smallest job the other integration tests train (TestStacks.smallJob), with a short low reel. */
    private static void fillTheSmallestJob() {
        type("number_of_frames", "9");
        select("resolution", "low");
        select("aspect_ratio", "16:9");
        select("rank", "8");
        type("number_of_steps", "100");
        type("validation_number_of_frames", "9");
        type("validation_frame_rate", "8");
        select("validation_resolution", "low");
        select("validation_aspect_ratio", "16:9");
    }

    /** Three generated clips with captions and one undecodable "clip" named with markup. */
    private static Path datasetWithMarkupClip(Path dir) throws Exception {
        SampleClipGenerator.quietFfmpegLogs();
        Path clips = Files.createDirectories(dir.resolve("clips"));
        var files = new ArrayList<Path>();
        for (Path video : SampleClipGenerator.writeClips(clips, 3, 256, 256, 24, 33, 7)) {
            files.add(video);
            files.add(SampleClipGenerator.captionPathFor(video));
        }
        files.add(Files.writeString(clips.resolve(MARKUP + ".mp4"), "not a video"));
        return SampleClipGenerator.zipFlat(dir.resolve("clips.zip"), files);
    }

    private static void signIn(String key) {
        driver.get(console.toString());
        if (driver.findElement(By.id("nav")).isDisplayed()) {
            driver.findElement(By.id("sign-out")).click();
        }
        driver.findElement(By.id("api-key")).sendKeys(key);
        driver.findElement(By.id("sign-in")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> driver.findElement(By.id("nav")).isDisplayed());
    }

    private static void open(String fragment) {
        driver.get(console + fragment);
    }

    private static void type(String name, String value) {
        WebElement input = driver.findElement(By.name(name));
        input.clear();
        input.sendKeys(value);
    }

    private static void select(String name, String value) {
        new Select(driver.findElement(By.name(name))).selectByValue(value);
    }

    private static String text(String css) {
        var found = driver.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getAttribute("textContent");
    }

    private static Object script(String code) {
        return ((JavascriptExecutor) driver).executeScript(code);
    }

    private static long lossPoints() {
        return ((Number) script("const line = document.querySelector(\"svg[data-chart='loss'] polyline\");"
                + "return line ? line.points.numberOfItems : 0")).longValue();
    }

    /** Full-page PNG of the current page at {@code width} CSS pixels, into the screenshots folder. */
    private static void screenshot(String name, int width, int height) throws Exception {
        chromium.viewport(width, height);
        chromium.screenshot(SCREENSHOTS.resolve(name));
    }

    /** A 422's problems as comparable lines, in any order. */
    private static Set<String> problems(JsonNode detail) {
        var lines = new TreeSet<String>();
        detail.forEach(p -> lines.add(p.get("loc") + " " + p.get("msg").asText() + " " + p.get("type").asText()));
        return lines;
    }

    private static JsonNode history(String key, String query) throws Exception {
        try (var http = HttpClient.newHttpClient()) {
            var answer = http.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/v1/requests" + query))
                    .header("Authorization", "Key " + key).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(answer.statusCode()).isEqualTo(200);
            return Json.readTree(answer.body());
        }
    }

    /**
     * Every request the pages sent since the last look went to the gateway or to the store's
     * public origin (media and images only); {@code storeSeen} also asks that the store was used.
     */
    private static void assertOnlyOwnOrigins(boolean storeSeen) {
        List<URI> sent = chromium.requestsSent();
        String gateway = origin(stack.gatewayUrl());
        assertThat(sent).isNotEmpty().allSatisfy(u -> assertThat(u.getScheme().matches("data|blob")
                || origin(u).equals(gateway) || origin(u).equals(storeOrigin)).as(u.toString()).isTrue());
        if (storeSeen) {
            assertThat(sent).anyMatch(u -> !u.getScheme().matches("data|blob") && origin(u).equals(storeOrigin));
        }
    }

    private static String origin(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        return uri.getScheme() + "://" + uri.getHost() + ":" + port;
    }
}
