package org.ltxfleet.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.common.s3.S3Settings;
import org.ltxfleet.common.job.JobLease;

/** The train worker's job lease on the real S3-compatible store: conditional writes decide races. */
class JobLeaseIT {

    private static final int CONTENDERS = 4;
    private static final JobLease.Timing FAST = new JobLease.Timing(Duration.ofMillis(300), Duration.ofSeconds(1));

    /** Where training keeps the lease of job {@code id}. */
    private static String prefix(String id) {
        return "jobs/" + id + "/lease/";
    }
    private static final Duration STALE = FAST.stale();

    @TempDir
    static Path dir;
    private static EmbeddedS3 s3;
    private static ObjectStore store;
    private static ExecutorService pool;

    @BeforeAll
    static void start() throws Exception {
        s3 = EmbeddedS3.start(dir, 0, "ak", "sk-secret");
        store = ObjectStore.open(new S3Settings(s3.endpoint(), "us-east-1", "ak", "sk-secret", true, "lease-bucket"));
        pool = Executors.newFixedThreadPool(CONTENDERS);
    }

    @AfterAll
    static void stop() throws Exception {
        pool.shutdownNow();
        store.close();
        s3.close();
    }

    @Test
    void ofWorkersRacingForAFreeJobExactlyOneWins() throws Exception {
        for (int round = 0; round < 10; round++) {
            assertThat(race("free-" + round)).as("round " + round).isEqualTo(1);
        }
    }

    @Test
    void ofWorkersRacingToTakeOverAStaleLeaseExactlyOneWins() throws Exception {
        for (int round = 0; round < 5; round++) {
            String job = "stale-" + round;
            store.put(generation(job, 0), Json.toBytes(Map.of("worker", "dead@0",
                    "heartbeat_at", Instant.now().minusSeconds(120).toString())), "application/json");
            assertThat(race(job)).as("round " + round).isEqualTo(1);
        }
    }

    @Test
    void aHolderThatWasTakenOverLearnsItAndLeavesTheNewLeaseAlone() throws Exception {
        try (var first = new JobLease(store, prefix("taken"), "first", JobLease.DEFAULT_TIMING)) {
            assertThat(first.acquire()).isNull();
            // What a takeover writes once the first holder has been silent for a minute.
            store.put(generation("taken", 1), Json.toBytes(Map.of("worker", "second@1",
                    "heartbeat_at", Instant.now().toString())), "application/json");
            assertThatThrownBy(first::confirm).isInstanceOf(JobLease.LostException.class);
            assertThatThrownBy(first::check).isInstanceOf(JobLease.LostException.class);
        }
        assertThat(Json.readTree(store.bytes(generation("taken", 1))).path("worker").asText()).isEqualTo("second@1");
        assertThat(Json.readTree(store.bytes(generation("taken", 0))).path("released").asBoolean())
                .as("a lost lease is not marked released by its former holder").isFalse();
        try (var third = new JobLease(store, prefix("taken"), "third", JobLease.DEFAULT_TIMING)) {
            assertThat(third.acquire()).isEqualTo("second@1");
        }
    }

    @Test
    void aReleasedLeaseIsFreeAndARenewedOneStaysOurs() throws Exception {
        try (var holder = new JobLease(store, prefix("renewed"), "holder", JobLease.DEFAULT_TIMING)) {
            assertThat(holder.acquire()).isNull();
            holder.confirm();
            holder.confirm();
            try (var other = new JobLease(store, prefix("renewed"), "other", JobLease.DEFAULT_TIMING)) {
                assertThat(other.acquire()).startsWith("holder@");
            }
        }
        assertThat(Json.readTree(store.bytes(generation("renewed", 0))).path("released").asBoolean()).isTrue();
        try (var next = new JobLease(store, prefix("renewed"), "next", JobLease.DEFAULT_TIMING)) {
            assertThat(next.acquire()).isNull();
            assertThat(store.exists(generation("renewed", 1))).isTrue();
        }
    }

    @Test
    void aStoppingWorkerStillReleasesItsLeaseAndKeepsItsInterrupt() throws Exception {
        var holder = new JobLease(store, prefix("stopping"), "holder", JobLease.DEFAULT_TIMING);
        assertThat(holder.acquire()).isNull();
        Thread.currentThread().interrupt(); // a stop landed while the job finished
        try {
            holder.close();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(Json.readTree(store.bytes(generation("stopping", 0))).path("released").asBoolean()).isTrue();
        try (var next = new JobLease(store, prefix("stopping"), "next", JobLease.DEFAULT_TIMING)) {
            assertThat(next.acquire()).as("free at once, not after the stale time").isNull();
        }
    }

    @Test
    void aBeatingHolderStaysLiveHoweverFarBehindItsClockIs() throws Exception {
        Instant skewed = Instant.now().minusSeconds(600);
        try (var waiter = new JobLease(store, prefix("behind"), "waiter", FAST)) {
            long until = System.nanoTime() + 3 * STALE.toNanos();
            for (int beat = 0; System.nanoTime() < until; beat++) {
                // The holder's clock is ten minutes behind ours, but it beats every 200 ms.
                store.put(generation("behind", 0), Json.toBytes(Map.of("worker", "slow-clock@1",
                        "heartbeat_at", skewed.plusMillis(200L * beat).toString())), "application/json");
                assertThat(waiter.acquire()).isEqualTo("slow-clock@1");
                Thread.sleep(200);
            }
        }
    }

    @Test
    void aSilentHolderIsTakenOverHoweverFarAheadItsClockIs() throws Exception {
        store.put(generation("ahead", 0), Json.toBytes(Map.of("worker", "fast-clock@1",
                "heartbeat_at", Instant.now().plusSeconds(600).toString())), "application/json");
        try (var waiter = new JobLease(store, prefix("ahead"), "waiter", FAST)) {
            assertThat(waiter.acquire()).isEqualTo("fast-clock@1");
            Thread.sleep(STALE.toMillis() + 200);
            assertThat(waiter.acquire()).isNull();
        }
        assertThat(Json.readTree(store.bytes(generation("ahead", 1))).path("worker").asText()).startsWith("waiter@");
    }

    /** Contenders call acquire at the same moment; returns how many got the lease. */
    private static int race(String job) throws Exception {
        var barrier = new CyclicBarrier(CONTENDERS);
        var leases = new ArrayList<JobLease>();
        var results = new ArrayList<Future<String>>();
        for (int i = 0; i < CONTENDERS; i++) {
            var lease = new JobLease(store, prefix(job), "worker-" + i, FAST);
            leases.add(lease);
            results.add(pool.submit(() -> {
                barrier.await();
                String holder = lease.acquire();
                // A lease nobody renews: each contender waits until it has seen it unchanged for STALE.
                while (holder != null && holder.startsWith("dead@")) {
                    Thread.sleep(50);
                    holder = lease.acquire();
                }
                return holder;
            }));
        }
        int winners = 0;
        List<String> holders = new ArrayList<>();
        for (Future<String> result : results) {
            String holder = result.get();
            if (holder == null) {
                winners++;
            } else {
                holders.add(holder);
            }
        }
        List<String> generations = store.keys("jobs/" + job + "/lease/");
        String stored = Json.readTree(store.bytes(generations.getLast())).path("worker").asText();
        assertThat(holders).allSatisfy(h -> assertThat(h).isEqualTo(stored));
        for (JobLease lease : leases) {
            lease.close();
        }
        return winners;
    }

    private static String generation(String job, int n) {
        return String.format("jobs/%s/lease/%08d.json", job, n);
    }

    @Test
    void aStaleTimeOfFewerThanThreeBeatsIsRefusedNamingTheSettings() {
        assertThatThrownBy(() -> JobLease.Timing.ofSeconds(10, 29)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("train.lease.stale.seconds (29)").hasMessageContaining("train.lease.heartbeat.seconds (10)");
        assertThatThrownBy(() -> JobLease.Timing.ofSeconds(0, 60)).hasMessageContaining("train.lease.heartbeat.seconds");
        assertThat(JobLease.Timing.ofSeconds(10, 30).stale()).isEqualTo(Duration.ofSeconds(30));
        // Preprocessing's lease has settings of its own, and an error names them, not training's.
        var config = org.ltxfleet.common.config.FleetConfig.empty().with("preprocess.lease.heartbeat.seconds", "10")
                .with("preprocess.lease.stale.seconds", "29");
        assertThatThrownBy(() -> JobLease.Timing.read(config, org.ltxfleet.common.config.Settings.PREPROCESS_LEASE_HEARTBEAT,
                org.ltxfleet.common.config.Settings.PREPROCESS_LEASE_STALE))
                .hasMessageContaining("preprocess.lease.stale.seconds (29)")
                .hasMessageContaining("preprocess.lease.heartbeat.seconds (10)");
    }
}
