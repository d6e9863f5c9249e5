package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.infra.demo.SampleClipGenerator;

/**
 * The rebalance a busy preprocess worker lives through, every part a process: while it downloads
 * a long job (a real dataset served over 40 s), two members join {@code ltx-preprocess} and leave
 * again, one after the other, named to sort first (Range would have handed them its partition),
 * and other jobs finish meanwhile. Runs are counted ({@link RunCount}): every job starts once per
 * stage, the long one is never run a second time beside or after its holder, and each job puts one
 * dataset on {@code ltx.ready}.
 */
@CpuBound(seconds = 120)
class RebalanceIT {

    private static final int SECONDS = 40;

    @Test
    void membersJoiningAndLeavingTwiceDuringALongPreprocessJobRunEveryJobOnce() throws Exception {
        Path zip = Files.createTempFile("fleet-it-long", ".zip");
        SampleClipGenerator.quietFfmpegLogs();
        SampleClipGenerator.writeDatasetZip(zip, 1, 256, 256, 24, 33, 7);
        byte[] bytes = Files.readAllBytes(zip);
        Files.delete(zip);
        HttpServer slow = trickling(bytes);
        Path dir = Files.createTempDirectory("fleet-it-rebalance");
        try (var stack = new ProcessStack(dir, "preprocess.lease.heartbeat.seconds=2\npreprocess.lease.stale.seconds=10\n"
                + "allow.private.urls=true\n")) {
            stack.kafka();
            stack.s3();
            stack.gateway();
            stack.worker("preprocess", "pre-1");
            stack.worker("train", "train-1");
            FleetClient client = stack.client();
            String url = "http://127.0.0.1:" + slow.getAddress().getPort() + "/long.zip";
            String longJob = submit(client, url);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> client.status(longJob, true).body().path("logs").toString(),
                            logs -> logs.contains("downloading training_data_url"));
            var ids = new ArrayList<>(List.of(longJob));
            for (int i = 0; i < 2; i++) {
                ids.add(submit(client, TestStacks.sampleDataset(stack.layout().config(true), 1)));
            }
            var preprocessWorkers = new ArrayList<>(List.of("pre-1"));
            for (String joiner : List.of("a-1", "a-2")) {
                stack.worker("preprocess", joiner);
                preprocessWorkers.add(joiner);
                Thread.sleep(8000);
                assertThat(ProcessStack.stop(stack.process(joiner))).isIn(0, 143);
            }
            for (String id : ids) {
                var status = TestStacks.awaitOutcome(client, id, Duration.ofMinutes(6));
                assertThat(status.get("state").asText()).as(id + ": " + status).isEqualTo("COMPLETED");
            }

            var runs = RunCount.count(stack.kafkaBootstrap(), ids, Map.of(
                    RunCount.PREPROCESS, preprocessWorkers.stream().map(stack::log).toList(),
                    RunCount.TRAIN, List.of(stack.log("train-1"))));
            RunCount.assertEachJobRanOnce(runs);
            assertThat(runs).filteredOn(r -> r.id().equals(longJob))
                    .as("the long job: one run per stage, no hand-back").allMatch(r -> r.starts() == 1 && r.handBacks() == 0);
            var datasets = TopicScan.matching(stack.kafkaBootstrap(), List.of(Topics.READY), ids::contains).stream()
                    .collect(Collectors.groupingBy(r -> r.key(), Collectors.counting()));
            assertThat(datasets).as("datasets on ltx.ready per job").containsOnlyKeys(ids).allSatisfy((id, n) ->
                    assertThat(n).as(id).isEqualTo(1));
            await().atMost(Duration.ofSeconds(30)).until(() -> TestStacks.billedRecently(client.baseUri(),
                    ProcessStack.API_KEY), n -> n == ids.size());
            System.out.printf("RELIABILITY rebalance: 2 members joined and left ltx-preprocess during a %d s "
                    + "preprocess job; %d jobs, %d stage starts (one per job and stage), %d dataset(s) on ltx.ready, "
                    + "billed once each%n", SECONDS, ids.size(), runs.stream().mapToLong(RunCount.Runs::starts).sum(),
                    datasets.values().stream().mapToLong(Long::longValue).sum());
        } finally {
            slow.stop(0);
        }
    }

    private static String submit(FleetClient client, String dataUrl) throws Exception {
        var reply = client.submit(Json.toString(TestStacks.smallJob(dataUrl, 100)));
        assertThat(reply.status()).as(reply.rawBody()).isEqualTo(200);
        return reply.body().get("request_id").asText();
    }

    /** Serves {@code bytes} at {@code /long.zip}, spread evenly over {@link #SECONDS} seconds. */
    private static HttpServer trickling(byte[] bytes) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/long.zip", exchange -> {
            exchange.sendResponseHeaders(200, bytes.length);
            int chunk = Math.max(1, bytes.length / (SECONDS * 4));
            try (OutputStream out = exchange.getResponseBody()) {
                for (int at = 0; at < bytes.length; at += chunk) {
                    out.write(bytes, at, Math.min(chunk, bytes.length - at));
                    out.flush();
                    Thread.sleep(250);
                }
            } catch (InterruptedException | java.io.IOException e) {
                // the worker hung up
            }
        });
        server.start();
        return server;
    }
}
