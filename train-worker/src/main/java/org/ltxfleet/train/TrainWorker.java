package org.ltxfleet.train;

import java.net.InetAddress;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Settings;
import org.ltxfleet.common.kafka.CancellationWatcher;
import org.ltxfleet.common.kafka.EventWriter;
import org.ltxfleet.common.kafka.StageConsumer;
import org.ltxfleet.common.kafka.Topics;

/** A train worker: a member of the {@code train} consumer group on {@code ltx.ready}. Close it to stop. */
public final class TrainWorker implements AutoCloseable {

    /** The consumer group every train worker joins. */
    public static final String GROUP = "ltx-train";

    private final EventWriter events;
    private final CancellationWatcher cancellations;
    private final StageConsumer consumer;

    private TrainWorker(String bootstrap, String name) {
        this.events = new EventWriter(bootstrap, "train-worker/" + name);
        this.cancellations = new CancellationWatcher(bootstrap, "train-control-" + name);
        this.consumer = new StageConsumer(bootstrap, Topics.READY, GROUP, "train-" + name,
                new ReadyIntake(events, cancellations), 3);
    }

    /** Starts a worker from the fleet configuration. */
    public static TrainWorker start(FleetConfig config) {
        return new TrainWorker(config.string(Settings.KAFKA_BOOTSTRAP, "localhost:9092"),
                config.string("worker.name", hostName()));
    }

    private static String hostName() {
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
