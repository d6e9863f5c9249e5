package org.ltxfleet.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
                            }, Duration.ofMinutes(5), line -> { });
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
                assertThat(store.exists("models/base.bin.making")).as("the marker is gone").isFalse();
            }
        }
    }

    @Test
    void aDeadMakersMarkerGoesStaleAndTheNextWorkerMakesTheFile(@TempDir Path dir) throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), 0, "ak", "sk-secret");
             var store = ObjectStore.open(new S3Settings(s3.endpoint(), "us-east-1", "ak", "sk-secret", true, "it-bucket"))) {
            store.put("models/base.bin.making", "{}".getBytes(), "application/json"); // its maker died
            Thread.sleep(1200);
            var log = new ArrayList<String>();
            Path file = SharedFiles.ensure(store, "models/base.bin", dir.resolve("w").resolve("base.bin"),
                    target -> Files.writeString(target, "remade"), Duration.ofSeconds(1), log::add);
            assertThat(Files.readString(file)).isEqualTo("remade");
            assertThat(log).anyMatch(line -> line.contains("taking over"));
            assertThat(store.exists("models/base.bin")).isTrue();
        }
    }
}
