package org.ltxfleet.train;

import java.nio.file.Path;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Settings;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.kafka.StageWorker;
import org.ltxfleet.common.kafka.Topics;

/** The train worker: a member of the {@value #GROUP} consumer group on {@code ltx.ready}. */
public final class TrainWorker {

    /** The consumer group every train worker joins. */
    public static final String GROUP = "ltx-train";

    private TrainWorker() {
    }

    /** Starts a worker from the fleet configuration; close it to stop. */
    public static StageWorker start(FleetConfig config) {
        return StageWorker.start(config.string(Settings.KAFKA_BOOTSTRAP, "localhost:9092"),
                Payloads.STAGE_TRAIN, java.util.List.of(Topics.READY), GROUP, config.string("worker.name", StageWorker.defaultName()),
                ReadyIntake::new);
    }

    /** Runs a worker until the process is stopped; the optional argument is a config file. */
    public static void main(String[] args) throws InterruptedException {
        start(FleetConfig.load(args.length > 0 ? Path.of(args[0]) : null)).runUntilStopped();
    }
}
