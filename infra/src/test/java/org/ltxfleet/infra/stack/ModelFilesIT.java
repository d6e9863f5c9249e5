package org.ltxfleet.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.s3.ModelFiles;
import org.ltxfleet.common.s3.S3Clients;
import org.ltxfleet.common.s3.S3Settings;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Base model files in an object store ({@code model.weights=s3://…}, {@code model.text.encoder=s3://…/}),
 * against the real embedded store: fetched once per host by workers that start together in
 * separate processes, fetched again when the store's copy changes, and refused by name when wrong.
 */
class ModelFilesIT {

    private static final String BUCKET = "release-bucket";
    private static final String SETTING = "model.weights";

    @Test
    void processesStartingTogetherOnOneHostFetchOnceAndShareTheCopy(@TempDir Path dir) throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), 0, "ak", "sk-secret")) {
            S3Settings settings = settings(s3.endpoint());
            // Big enough that unserialised fetches would overlap, and fetched as three ranges of 8 MiB.
            byte[] shard = new byte[24 << 20];
            new java.util.Random(7).nextBytes(shard);
            put(settings, "ltx/model.safetensors", shard);
            Path cache = dir.resolve("cache");
            String java = ProcessHandle.current().info().command().orElse("java");
            var workers = new ArrayList<Process>();
            for (int i = 0; i < 3; i++) {
                workers.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Fetcher.class.getName(),
                        s3.endpoint().toString(), cache.toString(), "s3://" + BUCKET + "/ltx/model.safetensors")
                        .redirectErrorStream(true).start());
            }
            var inodes = new ArrayList<String>();
            long downloads = 0;
            for (Process worker : workers) {
                String out = new String(worker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(worker.exitValue()).as(out).isZero();
                out.lines().filter(line -> line.startsWith("inode ")).forEach(inodes::add);
                downloads += out.lines().filter(line -> line.contains("fetching s3://")).count();
            }
            assertThat(downloads).as("downloads by six threads in three processes").isEqualTo(1);
            Path copy = cache.resolve(BUCKET).resolve("ltx/model.safetensors");
            assertThat(Files.readAllBytes(copy)).isEqualTo(shard);
            // Two threads per process, three processes: six answers, one file that was never replaced.
            assertThat(inodes).hasSize(6).containsOnly("inode " + Files.getAttribute(copy, "unix:ino"));
        }
    }

    @Test
    void aChangedObjectIsFetchedAgainAndAFolderLosesTheFilesTheStoreNoLongerHas(@TempDir Path dir) throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), 0, "ak", "sk-secret")) {
            S3Settings settings = settings(s3.endpoint());
            put(settings, "gemma/config.json", "{\"v\":1}".getBytes(StandardCharsets.UTF_8));
            put(settings, "gemma/model-00001-of-00002.safetensors", "shard one".getBytes(StandardCharsets.UTF_8));
            put(settings, "gemma/model-00002-of-00002.safetensors", "shard two".getBytes(StandardCharsets.UTF_8));
            put(settings, "gemma/tokenizer/tokenizer.json", "{}".getBytes(StandardCharsets.UTF_8));
            try (var files = new ModelFiles(settings, dir.resolve("cache"))) {
                Path gemma = files.local("model.text.encoder", "s3://" + BUCKET + "/gemma/");
                assertThat(gemma.resolve("model-00002-of-00002.safetensors")).hasContent("shard two");
                assertThat(gemma.resolve("tokenizer/tokenizer.json")).hasContent("{}");
                Object untouched = Files.getAttribute(gemma.resolve("config.json"), "unix:ino");

                // The release is replaced by one with a single shard and a new config.
                put(settings, "gemma/config.json", "{\"v\":2}".getBytes(StandardCharsets.UTF_8));
                put(settings, "gemma/model-00001-of-00002.safetensors", "only shard".getBytes(StandardCharsets.UTF_8));
                delete(settings, "gemma/model-00002-of-00002.safetensors");
                // Named without the trailing slash, a prefix with objects under it is a folder too.
                Path again = files.local("model.text.encoder", "s3://" + BUCKET + "/gemma");
                assertThat(again).isEqualTo(gemma);
                assertThat(gemma.resolve("config.json")).hasContent("{\"v\":2}");
                assertThat(Files.getAttribute(gemma.resolve("config.json"), "unix:ino")).isNotEqualTo(untouched);
                assertThat(gemma.resolve("model-00001-of-00002.safetensors")).hasContent("only shard");
                assertThat(gemma.resolve("model-00002-of-00002.safetensors")).as("a stale shard would load").doesNotExist();

                Object unchanged = Files.getAttribute(gemma.resolve("config.json"), "unix:ino");
                files.local("model.text.encoder", "s3://" + BUCKET + "/gemma/");
                assertThat(Files.getAttribute(gemma.resolve("config.json"), "unix:ino")).as("a matching copy is reused")
                        .isEqualTo(unchanged);
            }
        }
    }

    @Test
    void wrongLocationsAndAnUnreachableStoreAreReportedByName(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        try (EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), 0, "ak", "sk-secret");
             var files = new ModelFiles(settings(s3.endpoint()), cache)) {
            put(settings(s3.endpoint()), "ltx/model.safetensors", "weights".getBytes(StandardCharsets.UTF_8));
            assertThat(files.local(SETTING, "/mnt/models/ltx.safetensors")).isEqualTo(Path.of("/mnt/models/ltx.safetensors"));
            assertThatThrownBy(() -> files.local(SETTING, "s3://" + BUCKET + "/ltx/missing.safetensors"))
                    .isInstanceOf(IOException.class)
                    .hasMessage("model.weights: s3://release-bucket/ltx/missing.safetensors names no object in the store");
            for (String bad : List.of("s3://", "s3://" + BUCKET, "s3://" + BUCKET + "/", "s3://Bad_Bucket/x")) {
                assertThatThrownBy(() -> files.local(SETTING, bad)).as(bad).isInstanceOf(IOException.class)
                        .hasMessageStartingWith("model.weights: '" + bad + "' is not an object or folder in a bucket");
            }
            assertThatThrownBy(() -> files.local(SETTING, "s3://no-such-bucket/ltx.safetensors"))
                    .hasMessageStartingWith("model.weights: the store refused s3://no-such-bucket/ltx.safetensors (HTTP 404)");
            assertThatThrownBy(() -> files.local(SETTING, "s3://" + BUCKET + "/ltx/../../etc/passwd"))
                    .hasMessageContaining("has a segment that cannot be a file name ('..')");
            assertThat(files.local(SETTING, "s3://" + BUCKET + "/ltx/model.safetensors")).hasContent("weights");
        }
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (var offline = new ModelFiles(settings(URI.create("http://127.0.0.1:" + closedPort)), cache)) {
            assertThat(offline.local(SETTING, "s3://" + BUCKET + "/ltx/model.safetensors"))
                    .as("the copy fetched before serves while the store is down").hasContent("weights");
            assertThatThrownBy(() -> offline.local(SETTING, "s3://" + BUCKET + "/ltx/other.safetensors"))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("model.weights: cannot reach s3://release-bucket/ltx/other.safetensors");
        }
    }

    private static S3Settings settings(URI endpoint) {
        // The fleet's own bucket differs from the release's: a location names its bucket.
        return new S3Settings(endpoint, "us-east-1", "ak", "sk-secret", true, "fleet-bucket");
    }

    private static void put(S3Settings settings, String key, byte[] bytes) {
        try (var client = S3Clients.client(settings)) {
            S3Clients.ensureBucket(client, BUCKET);
            client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
        }
    }

    private static void delete(S3Settings settings, String key) {
        try (var client = S3Clients.client(settings)) {
            client.deleteObject(b -> b.bucket(BUCKET).key(key));
        }
    }

    /** A worker process starting up: two threads ask for the same location; prints the inode each got. */
    public static final class Fetcher {
        public static void main(String[] args) throws Exception {
            try (var files = new ModelFiles(settings(URI.create(args[0])), Path.of(args[1]));
                 var threads = Executors.newFixedThreadPool(2)) {
                var answers = new ArrayList<Future<Path>>();
                for (int i = 0; i < 2; i++) {
                    answers.add(threads.submit(() -> files.local(SETTING, args[2])));
                }
                for (Future<Path> answer : answers) {
                    System.out.println("inode " + Files.getAttribute(answer.get(), "unix:ino"));
                }
            }
        }
    }
}
