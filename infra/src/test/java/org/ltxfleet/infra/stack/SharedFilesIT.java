package org.ltxfleet.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.job.JobLease;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.common.s3.S3Settings;
import org.ltxfleet.common.s3.SharedFiles;

/** Files made once for a fleet (the tiny base weights), against the real embedded store. */
class SharedFilesIT {

    @Test
    void workersStartingTogetherMakeTheFileOnceAndAllGetIt(@TempDir Path dir) throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), 0, "ak", "sk-secret")) {
            var settings = new S3Settings(s3.endpoint(), "us-east-1", "ak", "sk-secret", true, "it-bucket");
            var made = new AtomicInteger();
            var results = new ArrayList<Future<Path>>();
            try (var threads = Executors.newFixedThreadPool(4)) {
                for (int worker = 0; worker < 4; worker++) {
                    Path local = dir.resolve("worker-" + worker).resolve("base.bin");
                    // A store per worker, as separate processes would have.
                    Callable<Path> ensure = () -> {
                        try (var store = ObjectStore.open(settings)) {
                            return SharedFiles.ensure(store, "models/base.bin", local, target -> {
                                made.incrementAndGet();
                                try {
                                    Thread.sleep(1500); // long enough for every other worker to find the marker
                                } catch (InterruptedException e) {
                                    throw new java.io.InterruptedIOException();
                                }
                                Files.writeString(target, "weights");
                            }, JobLease.DEFAULT_TIMING, line -> { });
                        }
                    };
                    results.add(threads.submit(ensure));
                }
            }
            for (var result : results) {
                assertThat(Files.readString(result.get())).isEqualTo("weights");
            }
            assertThat(made).hasValue(1);
            try (var store = ObjectStore.open(settings)) {
                assertThat(store.keys("models/base.bin.making/")).as("the maker's lease")
                        .allMatch(k -> new String(store.bytes(k)).contains("\"released\":true"));
            }
        }
    }

    @Test
    void aMakerKilledMidWayIsTakenOverOnceItsLeaseStopsBeating(@TempDir Path dir) throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), 0, "ak", "sk-secret");
             var store = ObjectStore.open(new S3Settings(s3.endpoint(), "us-east-1", "ak", "sk-secret", true, "it-bucket"))) {
            // What a maker SIGKILLed a moment ago leaves: its lease, beaten just now, never released.
            store.put("models/base.bin.making/00000000.json", Json.toBytes(Map.of("worker", "killed@1",
                    "heartbeat_at", Instant.now().toString(), "released", false)), "application/json");
            var log = new ArrayList<String>();
            long started = System.nanoTime();
            Path file = SharedFiles.ensure(store, "models/base.bin", dir.resolve("w").resolve("base.bin"),
                    target -> Files.writeString(target, "remade"), JobLease.Timing.ofSeconds(1, 3), log::add);
            double waited = (System.nanoTime() - started) / 1e9;
            assertThat(Files.readString(file)).isEqualTo("remade");
            assertThat(log).anyMatch(line -> line.contains("killed@1") && line.contains("waiting"))
                    .anyMatch(line -> line.contains("taking over"));
            assertThat(waited).as("taken over after the stale time, not a fixed 20 minutes").isBetween(2.5, 30.0);
            assertThat(store.exists("models/base.bin")).isTrue();
        }
    }
}
