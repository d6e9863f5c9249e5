package org.ltxfleet.common.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Setting;
import org.ltxfleet.common.config.Settings;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.s3.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is running a job in one stage. A consumer-group rebalance can hand a job's partition to
 * another worker while the first one is still running it (the first keeps going: its partition is
 * paused, not stopped); the lease lets the second see that and wait instead of running the job
 * twice. A lease
 * that a reader has seen unchanged for {@link #STALE}, by the reader's own monotonic clock, belongs
 * to a worker that died: the job is taken over from its checkpoint. Liveness never compares the
 * writer's clock with the reader's, so clock skew between nodes cannot make a live lease look dead
 * or a dead one live; the cost is that a reader waits up to {@code STALE} after it first looks.
 *
 * <p>Leases are numbered generations under a prefix of the job's ({@link JobHold} names them), for
 * training {@code jobs/{id}/lease/00000000.json}, … (worker, heartbeat,
 * released). Taking the job, fresh or over a stale or released holder, means creating the next
 * generation with S3's {@code If-None-Match: *}, which the store grants to exactly one of racing
 * writers. The outcome is then read back: the SDK retries a PUT whose answer was lost, and the
 * retry is refused because of the first attempt's own object (seen under load), so a generation
 * whose content is ours is ours whatever the answer said. A holder renews only its own generation and has
 * lost the job as soon as the next one exists, so a worker that was silent long enough to be taken
 * over learns so instead of training on beside the new holder. (Replacing one object with
 * {@code If-Match} would need fewer keys, but S3Proxy let two racing takeovers through that way.)
 * The heartbeat runs on its own thread, so loading tens of GB of base weights or a long step never
 * makes a live lease look stale.
 */
public final class JobLease implements AutoCloseable {

    /** The defaults: a beat every 10 s, a holder unchanged for a minute is dead. */
    public static final Timing DEFAULT_TIMING = new Timing(Duration.ofSeconds(10), Duration.ofSeconds(60));
    private static final Logger LOG = LoggerFactory.getLogger(JobLease.class);
    /** Tells two workers of the same name apart (a restarted process reusing its name). */
    private static final String PROCESS = java.util.UUID.randomUUID().toString();
    private static final String JSON = "application/json";
    /**
     * A generation's key. Listings can show other names: S3Proxy's filesystem store writes each
     * object as {@code <key>-<uuid>} and renames it, and lists such files meanwhile.
     */
    private static final Pattern GENERATION = Pattern.compile("/\\d{8}\\.json$");

    private final ObjectStore store;
    private final String prefix;
    private final String worker;
    private final Timing timing;
    /** Per generation, the content this reader last saw and when it first saw it (System.nanoTime). */
    private final Map<String, Observation> observed = new java.util.HashMap<>();
    private int generation = -1;
    private volatile boolean lost;
    private ScheduledExecutorService heartbeat;

    /**
     * A lease whose generations are kept under {@code prefix} (ending in {@code /}), that beats every
     * {@code timing.heartbeat} and judges another holder dead after {@code timing.stale}.
     */
    public JobLease(ObjectStore store, String prefix, String worker, Timing timing) {
        this.store = store;
        this.prefix = prefix;
        this.worker = worker + "@" + PROCESS;
        this.timing = timing;
    }

    /**
     * How often a holder beats and how long a reader waits on an unchanged lease before taking it
     * over. Every worker of a stage must use the same values: a reader's {@code stale} must cover
     * several of a holder's beats.
     */
    public record Timing(Duration heartbeat, Duration stale) {
        public Timing {
            check(heartbeat, stale, "the lease heartbeat", "the lease stale time");
        }

        /** Training's timing, in seconds; an error names the {@code train.lease.*} settings. */
        public static Timing ofSeconds(long heartbeat, long stale) {
            return named(Settings.TRAIN_LEASE_HEARTBEAT, heartbeat, Settings.TRAIN_LEASE_STALE, stale);
        }

        /** The timing these two settings give in {@code config}; an error names them. */
        public static Timing read(FleetConfig config, Setting<Integer> heartbeat, Setting<Integer> stale) {
            return named(heartbeat, heartbeat.read(config), stale, stale.read(config));
        }

        private static Timing named(Setting<Integer> heartbeatSetting, long heartbeat, Setting<Integer> staleSetting,
                                    long stale) {
            Duration beat = Duration.ofSeconds(heartbeat);
            Duration staleAfter = Duration.ofSeconds(stale);
            check(beat, staleAfter, heartbeatSetting.key(), staleSetting.key());
            return new Timing(beat, staleAfter);
        }

        private static void check(Duration heartbeat, Duration stale, String heartbeatName, String staleName) {
            if (heartbeat.isNegative() || heartbeat.isZero()) {
                throw new IllegalArgumentException(heartbeatName + " must be positive, got " + heartbeat.toSeconds());
            }
            if (stale.compareTo(heartbeat.multipliedBy(3)) < 0) {
                throw new IllegalArgumentException(staleName + " (" + stale.toSeconds() + ") must be at least 3 × "
                        + heartbeatName + " (" + heartbeat.toSeconds() + "), so a few missed beats are not a death");
            }
        }
    }

    /** How long a waiting worker sleeps between looks at another holder's lease. */
    public Duration recheckInterval() {
        return timing.heartbeat().dividedBy(2);
    }

    /**
     * Takes the job if no live worker holds it, and starts the heartbeat: null then; otherwise the
     * live holder's name.
     */
    public synchronized String acquire() {
        while (true) {
            List<String> generations = store.keys(prefix).stream().filter(k -> GENERATION.matcher(k).find()).toList();
            int next = 0;
            if (!generations.isEmpty()) {
                String latest = generations.getLast();
                Lease lease = read(latest);
                if (lease == null) {
                    continue; // gone between list and read: look again
                }
                if (lease.live() && lease.worker().equals(worker)) {
                    return hold(generationOf(latest)); // ours: the retry of our own create was refused
                }
                if (lease.live()) {
                    return lease.worker();
                }
                next = generationOf(latest) + 1;
            }
            if (store.createIfAbsent(key(next), body(false), JSON)) {
                // Read back: a store whose conditional write is check-then-act could let two through.
                Lease written = read(key(next));
                if (written != null && written.worker().equals(worker)) {
                    return hold(next);
                }
            }
            // another worker created that generation first: look again
        }
    }

    /** Throws {@link LostException} once another worker has taken the job over. */
    public void check() {
        if (lost) {
            throw new LostException(prefix);
        }
    }

    /** Renews the lease now, proving it is still ours (before a job's outcome goes out). */
    public synchronized void confirm() {
        check();
        if (generation < 0) {
            throw new IllegalStateException("the lease " + prefix + " is not held");
        }
        store.put(key(generation), body(false), JSON);
        if (store.exists(key(generation + 1))) {
            lost = true;
            throw new LostException(prefix);
        }
    }

    /** Stops the heartbeat and marks the lease released, unless it was lost (then it is another worker's). */
    @Override
    public synchronized void close() {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
            heartbeat = null;
        }
        if (generation >= 0 && !lost) {
            // A stop's interrupt must not keep the release from the store (S3's client refuses an
            // interrupted thread): the next worker would wait for the lease to go stale.
            boolean interrupted = Thread.interrupted();
            try {
                store.put(key(generation), body(true), JSON);
            } catch (RuntimeException e) {
                // The store away: the lease goes stale instead, and the job's done marker, not the
                // lease, is what keeps a finished job from running again.
                LOG.warn("could not release the lease {} ({}); it goes stale in {} s", prefix, e.toString(),
                        timing.stale().toSeconds());
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        generation = -1;
    }

    private String hold(int held) {
        generation = held;
        startHeartbeat();
        return null;
    }

    private Lease read(String key) {
        byte[] bytes = store.bytesIfPresent(key);
        if (bytes == null) {
            return null;
        }
        JsonNode node = Json.readTree(bytes);
        String worker = node.path("worker").asText();
        if (node.path("released").asBoolean(false)) {
            return new Lease(worker, false);
        }
        // Every beat rewrites heartbeat_at: a changed value is a beat, whatever the writer's clock says.
        String beat = node.path("heartbeat_at").asText();
        long now = System.nanoTime();
        Observation seen = observed.get(key);
        if (seen == null || !seen.beat().equals(beat)) {
            observed.put(key, new Observation(beat, now));
            return new Lease(worker, true);
        }
        return new Lease(worker, now - seen.sinceNanos() < timing.stale().toNanos());
    }

    /** A generation's holder, and whether it is still live (beating, not released). */
    private record Lease(String worker, boolean live) {
    }

    /** A heartbeat value as this reader first saw it. */
    private record Observation(String beat, long sinceNanos) {
    }

    private void startHeartbeat() {
        if (heartbeat != null) {
            return;
        }
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "lease-" + prefix);
            thread.setDaemon(true);
            return thread;
        });
        long every = timing.heartbeat().toMillis();
        heartbeat.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    private void renew() {
        try {
            confirm();
        } catch (LostException e) {
            LOG.warn("{}; the job thread stops at its next step", e.getMessage());
            throw e; // ends the schedule
        } catch (RuntimeException e) {
            // Retried at the next beat: the stale time allows several misses.
            LOG.warn("could not renew the lease {}: {}", prefix, e.getMessage());
        }
    }

    private String key(int generation) {
        return prefix + String.format("%08d", generation) + ".json";
    }

    private static int generationOf(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return Integer.parseInt(name.substring(0, name.indexOf('.')));
    }

    private byte[] body(boolean released) {
        return Json.toBytes(Map.of("worker", worker, "heartbeat_at", Instant.now().toString(), "released", released));
    }

    /** Another worker took the job over: this one must stop without reporting anything. */
    public static final class LostException extends RuntimeException {
        LostException(String prefix) {
            super("lost the job's lease (" + prefix + ") to another worker");
        }
    }
}
