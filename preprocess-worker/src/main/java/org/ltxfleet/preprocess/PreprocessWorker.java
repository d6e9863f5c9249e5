package org.ltxfleet.preprocess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Settings;
import org.ltxfleet.common.job.JobLease;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.kafka.StageWorker;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.common.s3.S3Settings;
import org.ltxfleet.model.nn.CpuThreads;
import org.ltxfleet.model.preset.Encoders;
import org.ltxfleet.model.preset.Preset;
import org.ltxfleet.preprocess.archive.ArchiveLimits;
import org.ltxfleet.preprocess.dataset.PreprocessSettings;
import org.ltxfleet.preprocess.download.DownloadSettings;
import org.ltxfleet.preprocess.download.Downloader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The preprocess worker: a member of the {@value #GROUP} consumer group on the job topics (normal, then low priority). */
public final class PreprocessWorker {

    private static final Logger LOG = LoggerFactory.getLogger(PreprocessWorker.class);

    /** The consumer group every preprocess worker joins, sharing the jobs between them. */
    public static final String GROUP = Topics.PREPROCESS_GROUP;

    private PreprocessWorker() {
    }

    /** Starts a worker from the fleet configuration; close it to stop. */
    public static StageWorker start(FleetConfig config) {
        CpuThreads.limit(Settings.MODEL_CPU_THREADS.read(config, Runtime.getRuntime().availableProcessors()));
        var parts = new DatasetJob.Parts(new Downloader(DownloadSettings.from(config)), ArchiveLimits.from(config),
                PreprocessSettings.from(config), ObjectStore.open(S3Settings.from(config)),
                encoders(config), org.ltxfleet.common.io.ScratchSpace.open(Payloads.STAGE_PREPROCESS));
        String name = Settings.WORKER_NAME.read(config, StageWorker.defaultName());
        var lease = JobLease.Timing.read(config, Settings.PREPROCESS_LEASE_HEARTBEAT, Settings.PREPROCESS_LEASE_STALE);
        return StageWorker.start(StageWorker.kafka(config, name),
                Payloads.STAGE_PREPROCESS, Topics.jobTopics(), GROUP, name,
                StageWorker.options(config, Settings.PREPROCESS_TIME_LIMIT),
                (events, cancellations) -> new JobIntake(events, cancellations, parts, lease), parts.downloader(), parts.store(),
                parts.scratch()).markBusyPod(config).serveHealth(config);
    }

    /** The preset's encoders, loaded before the worker takes jobs: a missing file stops it at start, by name. */
    private static Encoders encoders(FleetConfig config) {
        try {
            Encoders encoders = Preset.forEncoding(config).encoders();
            LOG.info("text encoder {}: {}", encoders.text().id(), encoders.text().storageSummary());
            return encoders;
        } catch (IOException e) {
            throw new UncheckedIOException("the preprocess worker cannot load its encoders: " + e.getMessage(), e);
        }
    }

    /** Runs a worker until the process is stopped; the optional argument is a config file. */
    public static void main(String[] args) throws InterruptedException {
        org.ltxfleet.common.kafka.ConsumerLoop.exitOnFatal();
        start(FleetConfig.load(args.length > 0 ? Path.of(args[0]) : null)).runUntilStopped();
    }
}
