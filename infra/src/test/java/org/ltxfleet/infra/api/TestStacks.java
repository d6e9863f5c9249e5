package org.ltxfleet.infra.api;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.infra.stack.FleetStack;
import org.ltxfleet.infra.stack.StackOptions;

/**
 * Stacks shared by the integration tests of one JVM: starting a broker and a store takes
 * seconds, so tests that do not stop or restart anything share them. Closed at JVM exit.
 */
final class TestStacks {

    static final String OTHER_KEY = "other-key:other-secret";
    static final Path MODELS = Path.of("target", "test-models");

    private static FleetStack scripted;
    private static org.ltxfleet.common.kafka.StageWorker scriptedWorker;
    private static FleetStack withWorkers;

    private TestStacks() {
    }

    /** A stack without the real workers, driven by a {@link ScriptedWorker}. */
    static synchronized FleetStack scripted() throws Exception {
        if (scripted == null) {
            Path dir = Files.createTempDirectory("fleet-it-scripted");
            // Many classes take turns on this stack with one key, some in bursts of a hundred requests:
            // the per-key rate limit would answer 429 by chance (the faster the gateway, the likelier).
            // Stacks of their own test the limit (LifecycleIT, StorageIT).
            Files.writeString(dir.resolve("fleet.properties"), "gateway.rate.limit.per.second=0\n");
            scripted = start(StackOptions.forTests(dir).withWorkers(false));
            scriptedWorker = ScriptedWorker.start(scripted);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                scriptedWorker.close();
                scripted.close();
            }));
        }
        return scripted;
    }

    /** A stack with the real preprocess and train workers. */
    static synchronized FleetStack withWorkers() throws Exception {
        if (withWorkers == null) {
            withWorkers = start(StackOptions.forTests(Files.createTempDirectory("fleet-it-workers")));
            Runtime.getRuntime().addShutdownHook(new Thread(withWorkers::close));
        }
        return withWorkers;
    }

    /**
     * Pre-trains the shared tiny base weights if this build has none yet (about two minutes, on one
     * core), so that no job's time limit has to include it; waits for a pre-training already started.
     */
    static void ensureBaseWeights() throws java.io.IOException {
        try {
            startBaseWeights().get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new java.io.IOException("pre-training the tiny base failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the tiny base");
        }
    }

    /** Starts pre-training the tiny base in the background (once per JVM); the future ends when the file is there. */
    static synchronized java.util.concurrent.CompletableFuture<Void> startBaseWeights() {
        if (baseWeights == null) {
            baseWeights = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    org.ltxfleet.model.base.TinyBase.ensure(MODELS.toAbsolutePath(),
                            line -> System.out.println("tiny base: " + line));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, runnable -> Thread.ofPlatform().daemon().name("tiny-base").start(runnable));
        }
        return baseWeights;
    }

    private static java.util.concurrent.CompletableFuture<Void> baseWeights;

    /** Starts a stack that also accepts {@link #OTHER_KEY}; downloads fail fast unless the test configured them. */
    static FleetStack start(StackOptions options) throws Exception {
        if (options.workers()) {
            ensureBaseWeights();
        }
        Path keys = options.dataDir().resolve("api-keys.json");
        Files.createDirectories(options.dataDir());
        new org.ltxfleet.gateway.auth.ApiKeys().add(OTHER_KEY).save(keys);
        Path properties = options.dataDir().resolve("fleet.properties");
        String existing = Files.exists(properties) ? Files.readString(properties) : "";
        if (!existing.contains("download.attempts")) {
            existing += "download.attempts=1\n";
        }
        if (!existing.contains("model.dir")) {
            // Every test stack shares one copy of the tiny base weights (pre-trained once per build).
            existing += "model.dir=" + MODELS.toAbsolutePath() + "\n";
        }
        Files.writeString(properties, existing);
        return FleetStack.start(options);
    }

    /**
     * A presigned URL of a zip of {@code clips} generated clips (256x256, 33 frames at 24 fps, with
     * captions) in the stack's own S3 store.
     */
    static String sampleDataset(FleetStack stack, int clips) throws Exception {
        return sampleDataset(stack.config(), clips);
    }

    /** {@link #sampleDataset(FleetStack, int)} in the store that {@code config} names. */
    static String sampleDataset(org.ltxfleet.common.config.FleetConfig config, int clips) throws Exception {
        Path zip = Files.createTempFile("fleet-it-dataset", ".zip");
        org.ltxfleet.infra.demo.SampleClipGenerator.quietFfmpegLogs();
        org.ltxfleet.infra.demo.SampleClipGenerator.writeDatasetZip(zip, clips, 256, 256, 24, 33, 7);
        try {
            return FleetStack.publish(config, "it/" + java.util.UUID.randomUUID() + ".zip", zip);
        } finally {
            Files.deleteIfExists(zip);
        }
    }

    /** A stack of its own (no real workers) with the given settings, driven by a {@link ScriptedWorker}. */
    record Scripted(FleetStack stack, org.ltxfleet.common.kafka.StageWorker pipeline) implements AutoCloseable {
        @Override
        public void close() {
            pipeline.close();
            stack.close();
        }
    }

    /** Starts a {@link Scripted} stack with {@code properties} as its fleet.properties. */
    static Scripted startScripted(String name, String properties) throws Exception {
        Path dir = Files.createTempDirectory(name);
        Files.writeString(dir.resolve("fleet.properties"), properties);
        FleetStack stack = start(StackOptions.forTests(dir).withWorkers(false));
        return new Scripted(stack, ScriptedWorker.start(stack));
    }

    /** A job input at the low bucket: the dataset, window length and step count; callers add the rest. */
    static com.fasterxml.jackson.databind.node.ObjectNode jobInput(String dataUrl, int frames, int steps) {
        var input = org.ltxfleet.common.json.Json.object();
        input.put("training_data_url", dataUrl);
        input.put("number_of_frames", frames);
        input.put("resolution", "low");
        input.put("number_of_steps", steps);
        return input;
    }

    /**
     * The cheapest job the endpoint accepts, for tests of the fleet rather than of training: 9-frame
     * windows at low 16:9 (2 × 144 latent tokens), rank 8 (the smallest), {@code steps} steps (100 at least).
     */
    static com.fasterxml.jackson.databind.node.ObjectNode smallJob(String dataUrl, int steps) {
        var input = jobInput(dataUrl, 9, steps);
        input.put("aspect_ratio", "16:9");
        input.put("rank", 8);
        return input;
    }

    /** Waits until a job's training has done at least {@code step} steps. */
    static void awaitTrainingStep(FleetClient client, String id, int step, java.time.Duration limit) {
        org.awaitility.Awaitility.await().atMost(limit).pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> client.status(id, false).body().path("progress"),
                        p -> "train".equals(p.path("stage").asText()) && p.path("done").asInt() >= step);
    }

    /** Polls a job's status (with logs) until it ends COMPLETED, FAILED or CANCELED; returns that status. */
    static com.fasterxml.jackson.databind.JsonNode awaitOutcome(FleetClient client, String id, java.time.Duration limit) {
        return org.awaitility.Awaitility.await().atMost(limit).pollInterval(java.time.Duration.ofMillis(250))
                .until(() -> client.status(id, true).body(),
                        s -> s.path("state").asText().matches("COMPLETED|FAILED|CANCELED"));
    }

    /** Polls a job's result until it answers 200 (within 20 s); returns its body. */
    static com.fasterxml.jackson.databind.JsonNode awaitResult(FleetClient client, String id) {
        return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> client.result(id), r -> r.status() == 200).body();
    }

    /** Submits a small job with {@code X-Fal-Object-Lifecycle-Preference: lifecycle} (none when null). */
    static java.net.http.HttpResponse<String> submitWithLifecycle(FleetStack stack, String lifecycle) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(stack.gatewayUrl() + "/" + GatewaySettings.ENDPOINT_ID))
                .header("Authorization", "Key " + stack.apiKey())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"training_data_url\":\"https://example.com/c.zip\",\"trigger_phrase\":\"ok\"}"));
        if (lifecycle != null) {
            request.header("X-Fal-Object-Lifecycle-Preference", lifecycle);
        }
        try (var http = java.net.http.HttpClient.newHttpClient()) {
            return http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The status a GET of {@code uri} answers within 5 s, or -1 when nothing answers. */
    static int httpStatus(java.net.URI uri) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(uri)
                    .timeout(java.time.Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Jobs charged to the stack's dev key today, from the gateway's ledger. */
    static int billedRecently(FleetStack stack) throws Exception {
        return billedRecently(stack.gatewayUrl(), stack.apiKey());
    }

    /**
     * Jobs charged to {@code apiKey} from yesterday to the end of today (UTC), from the ledger of the gateway at
     * {@code gateway}. Yesterday is in the window because a run that crosses midnight bills its first jobs on the
     * day before the one it asks on; every stack is fresh, so nothing older can be in it.
     */
    static int billedRecently(java.net.URI gateway, String apiKey) throws Exception {
        var today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(gateway + "/v1/usage?from=" + today.minusDays(1) + "&to=" + today.plusDays(1)))
                .header("Authorization", "Key " + apiKey).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return org.ltxfleet.common.json.Json.readTree(response.body().getBytes()).get("jobs").asInt();
    }

    /** A client with the stack's dev key. */
    static FleetClient client(FleetStack stack) {
        return new FleetClient(stack.gatewayUrl(), stack.apiKey(), GatewaySettings.ENDPOINT_ID);
    }

    /** A client with the second key. */
    static FleetClient otherClient(FleetStack stack) {
        return new FleetClient(stack.gatewayUrl(), OTHER_KEY, GatewaySettings.ENDPOINT_ID);
    }

    /** What {@code GET uri} answers, as text (a /metrics page). */
    static String scrape(java.net.URI uri) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(uri).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The sum of every sample of {@code name} in a Prometheus page whose labels contain all of {@code labels}. */
    static double metricSum(String page, String name, String... labels) {
        double sum = 0;
        for (String line : page.lines().toList()) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                String labelText = line.contains("{") ? line.substring(line.indexOf('{'), line.indexOf('}') + 1) : "";
                if (java.util.Arrays.stream(labels).allMatch(labelText::contains)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return sum;
    }
}
