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
 * training data, output lifecycle, validation errors and a wrong key.
 */
// One class at a time on the shared TestStacks.scripted() stack (GatewayIT counts its backlog).
@ResourceLock("scripted-stack")
class FalClientIT {

    private static JsonNode report;
    private static FleetStack stack;

    @BeforeAll
    static void runFalClient() throws Exception {
        assumeTrue(onPath("node") && onPath("npm"), "node and npm are needed to run @fal-ai/client; skipping");
        stack = TestStacks.scripted();
        Path work = Path.of("target", "fal-client");
        Files.createDirectories(work);
        for (String file : List.of("package.json", "package-lock.json", "fal-client-check.mjs")) {
            Files.copy(Path.of("src", "test", "js", file), work.resolve(file),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(work.resolve("node_modules/@fal-ai/client"))) {
            run(work, List.of("npm", "ci", "--no-audit", "--no-fund", "--silent"), 300);
        }
        String out = run(work, List.of("node", "fal-client-check.mjs"), 120);
        report = Json.readTree(out.lines().reduce((a, b) -> b).orElseThrow().getBytes(StandardCharsets.UTF_8));
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

    private static String run(Path dir, List<String> command, int timeoutSeconds) throws Exception {
        var builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("FLEET_URL", stack.gatewayUrl().toString());
        builder.environment().put("FLEET_KEY", stack.apiKey());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
