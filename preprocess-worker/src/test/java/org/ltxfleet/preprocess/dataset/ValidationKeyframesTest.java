package org.ltxfleet.preprocess.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.job.InputValidator;
import org.ltxfleet.common.job.JobFailedException;
import org.ltxfleet.common.job.TrainingInput;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.preprocess.download.DownloadSettings;
import org.ltxfleet.preprocess.download.Downloader;

/** Validation keyframes fetched from a real HTTP server on loopback. */
class ValidationKeyframesTest {

    @TempDir
    Path dir;
    private HttpServer server;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/red.png", ex -> {
            byte[] png = png(Color.RED, 400, 300);
            ex.sendResponseHeaders(200, png.length);
            ex.getResponseBody().write(png);
            ex.close();
        });
        server.createContext("/blue.jpg", ex -> {
            var out = new ByteArrayOutputStream();
            var image = new BufferedImage(300, 400, BufferedImage.TYPE_INT_RGB);
            fill(image, Color.BLUE);
            ImageIO.write(image, "jpg", out);
            ex.sendResponseHeaders(200, out.size());
            ex.getResponseBody().write(out.toByteArray());
            ex.close();
        });
        server.createContext("/text.png", ex -> {
            byte[] text = "not an image".getBytes();
            ex.sendResponseHeaders(200, text.length);
            ex.getResponseBody().write(text);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static byte[] png(Color color, int width, int height) throws java.io.IOException {
        var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        fill(image, color);
        var out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static void fill(BufferedImage image, Color color) {
        var g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.dispose();
    }

    private TrainingInput input(String start, String end) {
        return new InputValidator().validate(Json.readTree(("{\"training_data_url\":\"https://e/x.zip\","
                + "\"validation_resolution\":\"low\",\"validation_aspect_ratio\":\"16:9\",\"validation\":["
                + "{\"prompt\":\"p\",\"start_image_url\":\"" + start + "\",\"end_image_url\":\"" + end + "\"}]}")
                .getBytes()));
    }

    private static Downloader downloader() {
        return new Downloader(new DownloadSettings(Duration.ofSeconds(2), Duration.ofSeconds(2), 1 << 20, 1, 5,
                Duration.ofMillis(10), true));
    }

    @Test
    void fetchesAndFitsKeyframesToTheValidationBucket() throws Exception {
        try (var downloader = downloader()) {
            var entries = ValidationKeyframes.prepare(input(url("/red.png"), url("/blue.jpg")), downloader, org.ltxfleet.preprocess.video.DecodeLimits.DEFAULT, dir);
            var entry = entries.get(0);
            assertThat(entry.start().width()).isEqualTo(512);
            assertThat(entry.start().height()).isEqualTo(288);
            assertThat(entry.middle()).isNull();
            byte[] red = entry.start().rgb();
            assertThat(red[0] & 0xff).isGreaterThan(240);
            assertThat(red[2] & 0xff).isLessThan(15);
            byte[] blue = entry.end().rgb();
            assertThat(blue[blue.length / 2 + 2] & 0xff).isGreaterThan(200);
        }
    }

    @Test
    void aBrokenImageFailsNamingItsField() throws Exception {
        try (var downloader = downloader()) {
            var failure = catchThrowableOfType(JobFailedException.class,
                    () -> ValidationKeyframes.prepare(input(url("/red.png"), url("/text.png")), downloader, org.ltxfleet.preprocess.video.DecodeLimits.DEFAULT, dir));
            assertThat(failure.detail().get(0).get("loc").toString())
                    .isEqualTo("[\"body\",\"validation\",0,\"end_image_url\"]");
            var missing = catchThrowableOfType(JobFailedException.class,
                    () -> ValidationKeyframes.prepare(input(url("/nothing.png"), url("/red.png")), downloader, org.ltxfleet.preprocess.video.DecodeLimits.DEFAULT, dir));
            assertThat(missing.detail().get(0).get("loc").toString())
                    .isEqualTo("[\"body\",\"validation\",0,\"start_image_url\"]");
        }
    }
}
