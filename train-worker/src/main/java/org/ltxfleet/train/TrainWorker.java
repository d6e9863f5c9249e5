package org.ltxfleet.train;

import java.nio.file.Path;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Settings;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.kafka.StageWorker;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.common.s3.S3Settings;
import org.ltxfleet.model.nn.CpuThreads;

/** The train worker: a member of the {@value #GROUP} consumer group on {@code ltx.ready}. */
public final class TrainWorker {

    /** The consumer group every train worker joins. */
    public static final String GROUP = "ltx-train";

    private TrainWorker() {
    }

    /** The worker-wide parts every job uses. */
    record Parts(TrainSettings settings, ObjectStore store, BaseModels baseModels,
                 org.ltxfleet.common.io.ScratchSpace scratch) {
    }

    /** Starts a worker from the fleet configuration; close it to stop. */
    public static StageWorker start(FleetConfig config) {
        CpuThreads.limit(Settings.MODEL_CPU_THREADS.read(config, Runtime.getRuntime().availableProcessors()));
        var settings = TrainSettings.from(config);
        ObjectStore store = ObjectStore.open(S3Settings.from(config));
        var scratch = org.ltxfleet.common.io.ScratchSpace.open(Payloads.STAGE_TRAIN);
        var parts = new Parts(settings, store, new BaseModels(store), scratch);
        String name = Settings.WORKER_NAME.read(config, StageWorker.defaultName());
        return StageWorker.start(StageWorker.kafka(config, name),
                Payloads.STAGE_TRAIN, java.util.List.of(Topics.READY), GROUP, name,
                StageWorker.options(config, Settings.TRAIN_TIME_LIMIT),
                (events, cancellations) -> new ReadyIntake(events, cancellations, parts), parts.store(), scratch)
                .markBusyPod(config).serveHealth(config);
    }

    /** Runs a worker until the process is stopped; the optional argument is a config file. */
    public static void main(String[] args) throws InterruptedException {
        org.ltxfleet.common.kafka.ConsumerLoop.exitOnFatal();
        start(FleetConfig.load(args.length > 0 ? Path.of(args[0]) : null)).runUntilStopped();
    }
}
