package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.infra.stack.FleetStack;

/**
 * fal's own JavaScript client (@fal-ai/client from npm, version pinned in src/test/js) drives the
 * gateway unchanged but for its queue and REST hosts: submit, status with logs, subscribe (polling
 * and streaming), streamStatus, cancel, start timeout, uploads (one PUT and multipart), a Blob as
 * training data, storageSettings on uploads and submits, validation errors and a wrong key; and,
 * against a gateway whose upload URLs live one second, a multipart upload that outlasts it.
 */
// One class at a time on the shared TestStacks.scripted() stack (GatewayIT counts its backlog).
@ResourceLock("scripted-stack")
class FalClientIT {

    /** The lifetime of an upload URL on the second gateway, shorter than the slow uploads sent there. */
    private static final int SHORT_URL_SECONDS = 1;

    private static JsonNode report;
    private static JsonNode slowUploads;
    private static FleetStack stack;

    @BeforeAll
    static void runFalClient() throws Exception {
        assumeTrue(onPath("node") && onPath("npm"), "node and npm are needed to run @fal-ai/client; skipping");
        stack = TestStacks.scripted();
        Path work = Path.of("target", "fal-client");
        Files.createDirectories(work);
        for (String file : List.of("package.json", "package-lock.json", "fal-client-check.mjs",
                "fal-client-slow-upload.mjs")) {
            Files.copy(Path.of("src", "test", "js", file), work.resolve(file),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(work.resolve("node_modules/@fal-ai/client"))) {
            run(work, stack, List.of("npm", "ci", "--no-audit", "--no-fund", "--silent"), 300);
        }
        report = lastLine(run(work, stack, List.of("node", "fal-client-check.mjs"), 120));
        try (var shortUrls = TestStacks.startScripted("fleet-it-fal-short-urls",
                "gateway.upload.url.seconds=" + SHORT_URL_SECONDS + "\n")) {
            slowUploads = lastLine(run(work, shortUrls.stack(), List.of("node", "fal-client-slow-upload.mjs"), 120));
        }
    }

    private static JsonNode lastLine(String out) {
        return Json.readTree(out.lines().reduce((a, b) -> b).orElseThrow().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void submitAnswersWithOurUrls() {
        JsonNode submit = report.get("submit");
        assertThat(submit.get("request_id").asText()).isNotBlank();
        assertThat(submit.get("status_url").asText()).startsWith(stack.gatewayUrl().toString());
        assertThat(report.get("status").get("status").asText()).isIn("IN_QUEUE", "IN_PROGRESS", "COMPLETED");
    }

    @Test
    void subscribePollingReturnsTheResultWithLogs() {
        JsonNode polling = report.get("subscribePolling");
        assertThat(polling.get("data").get("lora_file").get("file_name").asText()).isEqualTo("lora.safetensors");
        assertThat(polling.get("requestId").asText()).isNotBlank();
        assertThat(polling.get("updates").toString()).contains(ScriptedWorker.LOG_LINE);
    }

    @Test
    void subscribeStreamingReturnsTheResultWithLogsOnce() {
        JsonNode streaming = report.get("subscribeStreaming");
        assertThat(streaming.get("data").get("lora_file")).isNotNull();
        JsonNode last = streaming.get("updates").get(streaming.get("updates").size() - 1);
        assertThat(last.get("status").asText()).isEqualTo("COMPLETED");
        List<String> logs = new ArrayList<>();
        last.get("logs").forEach(l -> logs.add(l.asText()));
        assertThat(logs).containsExactly(ScriptedWorker.LOG_LINE, "step 100/100");
    }

    @Test
    void streamStatusEndsCompleted() {
        assertThat(report.get("streamStatusDone").get("status").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void aJobQueuedPastItsStartTimeoutEndsAsFalEndsIt() {
        // startTimeout: 2 s while the one scripted worker is busy: 504, X-Fal-Request-Timeout-Type: user.
        assertThat(report.get("lateStatus").get("status").asText()).isEqualTo("COMPLETED");
        assertThat(report.get("lateStatus").get("error_type").asText()).isEqualTo("request_timeout");
        JsonNode late = report.get("lateResult");
        assertThat(late.get("status").asInt()).isEqualTo(504);
        assertThat(late.get("timeoutType").asText()).isEqualTo("user");
        assertThat(late.get("isUserTimeout").asBoolean()).isTrue();
        assertThat(late.get("body").get("error_type").asText()).isEqualTo("request_timeout");
    }

    @Test
    void cancelWorksAndTheResultSaysCanceled() {
        assertThat(report.get("cancel").isNull()).as("cancel resolved").isTrue();
        assertThat(report.get("canceledStatus").get("status").asText()).isEqualTo("COMPLETED");
        assertThat(report.get("canceledStatus").get("error").asText()).contains("cancelled");
        assertThat(report.get("canceledStatus").get("error_type").asText()).isEqualTo("client_cancelled");
        // As fal answers: 499, error_type client_cancelled (the client raises an ApiError with the body).
        assertThat(report.get("canceledResult").get("status").asInt()).isEqualTo(499);
        assertThat(report.get("canceledResult").get("isApiError").asBoolean()).isTrue();
        assertThat(report.get("canceledResult").get("body").get("error_type").asText()).isEqualTo("client_cancelled");
        assertThat(report.get("cancelAgain").get("status").asInt()).isEqualTo(400);
    }

    @Test
    void validationErrorsReachTheClientAsFieldErrors() {
        JsonNode invalid = report.get("invalid");
        assertThat(invalid.get("name").asText()).isEqualTo("ValidationError");
        assertThat(invalid.get("status").asInt()).isEqualTo(422);
        assertThat(invalid.get("fieldErrors").get(0).get("loc").toString()).isEqualTo("[\"body\",\"rank\"]");
    }

    @Test
    void filesUploadWithFalStorageInOnePutAndInParts() {
        JsonNode upload = report.get("upload");
        assertThat(upload.get("url").asText()).contains("/uploads/").contains("X-Amz-Signature=");
        assertThat(upload.get("same").asBoolean()).as("downloaded bytes equal the uploaded ones").isTrue();
        JsonNode multipart = report.get("multipart");
        assertThat(multipart.get("bytes").asLong()).isEqualTo(91L * 1024 * 1024);
        assertThat(multipart.get("same").asBoolean()).isTrue();
    }

    @Test
    void aBlobAsTrainingDataIsUploadedAndTheJobReadsIt() {
        JsonNode trained = report.get("blobTraining");
        assertThat(trained.get("logs").toString()).contains(
                ScriptedWorker.fetchedLine(trained.get("bytes").asLong(), trained.get("sha256").asText()));
        // storageSettings: {expiresIn: 600}: the link is signed for the output's 600 s, not 7 days
        assertThat(trained.get("loraUrl").asText()).containsPattern("X-Amz-Expires=(600|599|598)&");
        assertThat(trained.get("loraStatus").asInt()).isEqualTo(200);
    }

    @Test
    void storageSettingsWithSecondsShortenAnUploadsLinkAndScheduleItsDeletion() {
        JsonNode upload = report.get("storageSettings").get("uploadSeconds");
        // What the client sends on the initiate for {expiresIn: 3600}.
        assertThat(upload.get("sent").get("X-Fal-Object-Lifecycle").asText())
                .isEqualTo("{\"expiration_duration_seconds\":3600}");
        assertThat(upload.get("url").asText()).contains("X-Amz-Expires=3600&");
        assertThat(upload.get("status").asInt()).isEqualTo(200);
        List<String> deletions = expiryMarkers(objectKey(upload.get("url").asText()));
        assertThat(deletions).singleElement().satisfies(marker -> {
            assertThat(marker).contains("/delete/");
            long due = Long.parseLong(marker.split("/")[1]);
            // Deleted an hour after it was stored, between the client's initiate and its PUT's answer.
            assertThat(due).isBetween(upload.get("from").asLong() + 3600, upload.get("until").asLong() + 3600);
        });
    }

    @Test
    void storageSettingsNeverSendsNoLifecycleAndTheUploadIsKept() {
        JsonNode upload = report.get("storageSettings").get("uploadNever");
        // "never" maps to no expiration_duration_seconds, so the client sends no header at all.
        assertThat(noLifecycleHeader(upload.get("sent"))).as(upload.get("sent").toString()).isTrue();
        assertThat(upload.get("url").asText()).contains("X-Amz-Expires=604800&");
        assertThat(upload.get("status").asInt()).isEqualTo(200);
        assertThat(expiryMarkers(objectKey(upload.get("url").asText()))).as("nothing will delete it").isEmpty();
    }

    @Test
    void storageSettingsNeverOnASubmitKeepsTheOutputsUnderTheDefault() {
        JsonNode submit = report.get("storageSettings").get("submitNever");
        assertThat(noLifecycleHeader(submit.get("sent"))).as(submit.get("sent").toString()).isTrue();
        // No retention asked and none configured: the link is the plain 7-day one, not cut short.
        assertThat(submit.get("loraUrl").asText()).contains("X-Amz-Expires=604800&");
    }

    @Test
    void aMultipartUploadCompletesThoughItOutlastsTheUploadUrlLifetime() {
        // The single PUT held back past the one-second lifetime is refused: the short lifetime is real.
        assertThat(slowUploads.get("single").get("uploaded").asBoolean()).isFalse();
        assertThat(slowUploads.get("single").get("status").asInt()).isEqualTo(403);
        // Part 2 and the complete were held back as long, and the upload completes whole.
        assertThat(slowUploads.get("held").toString()).contains("/multipart/2").contains("/multipart/complete");
        assertThat(slowUploads.get("multipart").path("bytes").asLong()).as(slowUploads.get("multipart").toString())
                .isEqualTo(91L * 1024 * 1024);
        assertThat(slowUploads.get("multipart").get("same").asBoolean()).isTrue();
    }

    /** Whether the headers a request was sent with name no object lifecycle. */
    private static boolean noLifecycleHeader(JsonNode headers) {
        var names = new ArrayList<String>();
        headers.fieldNames().forEachRemaining(names::add);
        return names.stream().noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).contains("lifecycle"));
    }

    /** The store key a presigned {@code file_url} names ({@code uploads/…}). */
    private static String objectKey(String fileUrl) {
        String path = java.net.URI.create(fileUrl).getPath();
        return path.substring(path.indexOf("/uploads/") + 1);
    }

    /** The gateway's expiry markers naming {@code key}: {@code upload-expiries/{due}/{delete|abort}/…/{key}}. */
    private static List<String> expiryMarkers(String key) {
        try (var store = org.ltxfleet.common.s3.ObjectStore.open(org.ltxfleet.common.s3.S3Settings.from(stack.config()))) {
            return store.keys("upload-expiries/").stream().filter(m -> m.endsWith("/" + key)).toList();
        }
    }

    @Test
    void wrongKeyIsRefused() {
        assertThat(report.get("wrongKey").get("status").asInt()).isEqualTo(401);
        assertThat(report.get("wrongKey").get("isApiError").asBoolean()).isTrue();
    }

    private static boolean onPath(String command) {
        try {
            return new ProcessBuilder(command, "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String run(Path dir, FleetStack target, List<String> command, int timeoutSeconds) throws Exception {
        var builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("FLEET_URL", target.gatewayUrl().toString());
        builder.environment().put("FLEET_KEY", target.apiKey());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
