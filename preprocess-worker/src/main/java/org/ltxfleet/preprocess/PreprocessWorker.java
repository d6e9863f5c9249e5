package org.ltxfleet.preprocess;

import java.net.InetAddress;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Settings;
import org.ltxfleet.common.kafka.CancellationWatcher;
import org.ltxfleet.common.kafka.EventWriter;
import org.ltxfleet.common.kafka.StageConsumer;
import org.ltxfleet.common.kafka.Topics;

/** A preprocess worker: a member of the {@code preprocess} consumer group on {@code ltx.jobs}. Close it to stop. */
public final class PreprocessWorker implements AutoCloseable {

    /** The consumer group every preprocess worker joins, sharing the jobs between them. */
    public static final String GROUP = "ltx-preprocess";

    private final EventWriter events;
    private final CancellationWatcher cancellations;
    private final StageConsumer consumer;

    private PreprocessWorker(String bootstrap, String name) {
        this.events = new EventWriter(bootstrap, "preprocess-worker/" + name);
        this.cancellations = new CancellationWatcher(bootstrap, "preprocess-control-" + name);
        this.consumer = new StageConsumer(bootstrap, Topics.JOBS, GROUP, "preprocess-" + name,
                new JobIntake(events, cancellations), 3);
    }

    /** Starts a worker from the fleet configuration. */
    public static PreprocessWorker start(FleetConfig config) {
        return new PreprocessWorker(config.string(Settings.KAFKA_BOOTSTRAP, "localhost:9092"),
                config.string("worker.name", hostName()));
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();
        } catch (java.net.UnknownHostException e) {
            return "worker-" + ProcessHandle.current().pid();
        }
    }

    @Override
    public void close() {
        consumer.close();
        cancellations.close();
        events.close();
    }

    /** Runs a worker until the process is stopped. */
    public static void main(String[] args) throws InterruptedException {
        var worker = start(FleetConfig.load(args.length > 0 ? java.nio.file.Path.of(args[0]) : null));
        Runtime.getRuntime().addShutdownHook(new Thread(worker::close));
        Thread.currentThread().join();
    }
}
