package org.ltxfleet.common.kafka;

import org.ltxfleet.common.config.Setting;
import org.ltxfleet.common.config.Settings;
import org.ltxfleet.common.health.HealthServer;
import org.ltxfleet.common.health.WorkerMetrics;
import org.ltxfleet.common.kube.PodDeletionCost;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker of a pipeline stage: a consumer-group member on the stage's input topic, an event
 * writer and a cancellation watcher, started and stopped together. The stage's logic is the
 * {@link StageConsumer.Handler} its factory makes.
 */
public final class StageWorker implements AutoCloseable {

    /** Makes a stage's handler from the worker's shared parts. */
    @FunctionalInterface
    public interface HandlerFactory {
        /** The handler for one worker. */
        StageConsumer.Handler create(EventWriter events, CancellationWatcher cancellations);
    }

    private static final Logger LOG = LoggerFactory.getLogger(StageWorker.class);

    private final EventWriter events;
    private final CancellationWatcher cancellations;
    private final StageConsumer consumer;
    private final List<AutoCloseable> resources;
    private final WorkerMetrics metrics;
    private final io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics producerMeters;
    private volatile HealthServer healthServer;
    private volatile PodDeletionCost podCost;

    private StageWorker(KafkaConnection kafka, String stage, List<String> topics, String group, String name,
                        StageConsumer.Options options, HandlerFactory factory, List<AutoCloseable> resources) {
        this.resources = resources;
        this.events = new EventWriter(kafka, stage + "-worker/" + name);
        this.cancellations = new CancellationWatcher(kafka, stage + "-control-" + name);
        this.consumer = new StageConsumer(kafka, topics, group, stage + "-" + name,
                factory.create(events, cancellations), options);
        this.metrics = new WorkerMetrics(stage);
        // The producer's meters only: a consumer's may not be read beside its polling thread.
        this.producerMeters = events.meters();
        metrics.bind(producerMeters);
        events.onEmitted(metrics::eventWritten);
        consumer.observeAttempts(metrics::attempt);
    }

    /**
     * Starts a worker of {@code stage} in consumer group {@code group} on {@code topics}, highest
     * priority first; {@code resources} (clients the handler uses) are closed after the consumer stops.
     */
    public static StageWorker start(KafkaConnection kafka, String stage, List<String> topics, String group, String name,
                                    StageConsumer.Options options, HandlerFactory factory, AutoCloseable... resources) {
        return new StageWorker(kafka, stage, topics, group, name, options, factory, List.of(resources));
    }

    /**
     * A stage's retry and time-limit settings: {@code worker.max.attempts} (crashes of the worker
     * included), {@code worker.max.handbacks}, {@code worker.no.offset.reach.days},
     * {@code worker.handback.seconds} and the stage's time limit in minutes.
     */
    public static StageConsumer.Options options(org.ltxfleet.common.config.FleetConfig config,
                                                Setting<Long> timeLimitMinutes) {
        return new StageConsumer.Options(Settings.WORKER_MAX_ATTEMPTS.read(config),
                Duration.ofMinutes(timeLimitMinutes.read(config)), Duration.ofSeconds(2),
                Settings.WORKER_MAX_HAND_BACKS.read(config), Duration.ofDays(Settings.WORKER_NO_OFFSET_REACH.read(config)),
                Duration.ofSeconds(Settings.WORKER_HAND_BACK_SECONDS.read(config)));
    }

    /**
     * The Kafka connection of a worker named {@code name}: the settings' {@link KafkaConnection},
     * a static group member under that name with {@code worker.static.membership}.
     */
    public static KafkaConnection kafka(org.ltxfleet.common.config.FleetConfig config, String name) {
        KafkaConnection kafka = KafkaConnection.from(config);
        return Settings.WORKER_STATIC_MEMBERSHIP.read(config) ? kafka.asStaticMember(name) : kafka;
    }

    /** The health of the worker's loops: its stage consumer and its cancellation watcher. */
    public List<LoopHealth> health() {
        return List.of(consumer.health(), cancellations.health());
    }

    /**
     * Serves the worker's liveness and readiness ({@link HealthServer}) and its metrics
     * ({@link WorkerMetrics}, {@code /metrics}) on {@code worker.health.port} when it is set (0: any
     * free port); nothing otherwise. Returns this worker.
     */
    public StageWorker serveHealth(org.ltxfleet.common.config.FleetConfig config) {
        int port = Settings.WORKER_HEALTH_PORT.read(config);
        if (port >= 0) {
            try {
                healthServer = HealthServer.start(port, this::health, metrics::scrape);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
            LOG.info("health of {} on http://localhost:{}/health/ready", events.source(), healthServer.port());
        }
        return this;
    }

    /**
     * With {@code worker.pod.deletion.cost} on, marks this worker's Kubernetes pod (named
     * {@code worker.name}, else {@code HOSTNAME}) costly to delete while it runs a job
     * ({@link PodDeletionCost}), a job already running included; nothing otherwise, or outside a
     * pod (a warning). Returns this worker.
     */
    public StageWorker markBusyPod(org.ltxfleet.common.config.FleetConfig config) {
        try {
            if (Settings.WORKER_POD_DELETION_COST.read(config)) {
                String pod = Settings.WORKER_NAME.read(config, System.getenv("HOSTNAME"));
                PodDeletionCost.inCluster(pod).ifPresent(cost -> {
                    podCost = cost;
                    consumer.observeJobs(cost);
                });
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** The port of the health probes, if they are served. */
    public java.util.OptionalInt healthPort() {
        HealthServer server = healthServer;
        return server == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(server.port());
    }

    /** A name unique to this process: host name and pid. */
    public static String defaultName() {
        try {
            return InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();
        } catch (UnknownHostException e) {
            return "worker-" + ProcessHandle.current().pid();
        }
    }

    /** Blocks until the JVM is asked to stop, then closes the worker. */
    public void runUntilStopped() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "worker-shutdown"));
        LOG.info("{} running until stopped (on SIGTERM it hands its job on)", events.source());
        Thread.currentThread().join();
    }

    @Override
    public void close() {
        if (healthServer != null) {
            healthServer.close();
        }
        consumer.close();
        if (podCost != null) {
            podCost.close();
        }
        cancellations.close();
        producerMeters.close();
        events.close();
        metrics.close();
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", resource, e.toString());
            }
        }
    }
}
