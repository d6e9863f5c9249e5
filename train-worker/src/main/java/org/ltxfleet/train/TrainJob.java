package org.ltxfleet.train;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.job.FileRef;
import org.ltxfleet.common.job.JobFailedException;
import org.ltxfleet.common.job.TrainingInput;
import org.ltxfleet.common.job.TrainingOutput;
import org.ltxfleet.common.job.JobHold;
import org.ltxfleet.common.job.JobLease;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.BillingRecord;
import org.ltxfleet.common.kafka.CancellationWatcher;
import org.ltxfleet.common.kafka.EventWriter;
import org.ltxfleet.common.kafka.ReadyMessage;
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.common.s3.JobObjects;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.model.latent.LatentBundle;
import org.ltxfleet.model.latent.TrainingExample;
import org.ltxfleet.model.latent.ValidationSet;
import org.ltxfleet.model.lora.KeyframeConvention;
import org.ltxfleet.model.lora.LoraExporter;
import org.ltxfleet.model.training.AdamW;
import org.ltxfleet.model.training.LearningRateSchedule;
import org.ltxfleet.model.training.LoraTrainer;
import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.TransformerConfig;
import org.ltxfleet.model.transformer.VideoTransformer;
import org.ltxfleet.model.transformer.Weights;

/**
 * One training job, from a ready dataset to its outputs and its charge: load the bundle and the
 * base model, resume from the job's checkpoint if there is one, train the adapters step by step
 * (progress events, checkpoints, cancellation checked every step), then export the LoRA, its config
 * and the validation reel, announce them, and write the charge. An interrupt (shutdown) saves a
 * checkpoint and hands the job back without an outcome.
 */
final class TrainJob {

    private final TrainSettings settings;
    private final ObjectStore store;
    private final EventWriter events;
    private final CancellationWatcher cancellations;
    private final BaseModels baseModels;
    private final JobHold hold;
    private final JobLease lease;

    TrainJob(TrainSettings settings, ObjectStore store, EventWriter events, CancellationWatcher cancellations,
             BaseModels baseModels, JobHold hold) {
        this.settings = settings;
        this.store = store;
        this.events = events;
        this.cancellations = cancellations;
        this.baseModels = baseModels;
        this.hold = hold;
        this.lease = hold.lease();
    }

    void run(ReadyMessage ready, Path workDir) throws IOException, InterruptedException {
        long started = System.nanoTime();
        TrainingInput input = ready.input();
        String id = ready.requestId();
        List<TrainingExample> examples = LatentBundle.read(
                store.get(ready.bundleKey() + LatentBundle.TENSORS, workDir.resolve(LatentBundle.TENSORS)));
        TransformerConfig config = settings.preset().transformer();
        if (examples.isEmpty()) {
            throw JobFailedException.unprocessable("no_usable_data", "The dataset has no training samples.");
        }
        if (examples.get(0).video().channels() != config.latentChannels()) {
            throw new IOException("the dataset's latents have " + examples.get(0).video().channels()
                    + " channels, the " + config.name() + " model reads " + config.latentChannels());
        }
        ValidationSet validation = ready.validationKey() == null ? null
                : ValidationSet.read(store.get(ready.validationKey(), workDir.resolve("validation.safetensors")));
        List<Path> base = baseModels.weights(settings.preset(), line -> log(ready, line));
        var checkpoints = new Checkpoints(store, id);
        int steps = input.numberOfSteps();
        try (NDManager manager = NDManager.newBaseManager()) {
            var model = new VideoTransformer(config, loraSpec(input));
            long seed = seed(id);
            Weights.initializeAdapters(model, manager, seed);
            var upload = Weights.upload(model, manager, settings.preset().baseStorage());
            Weights.load(model, base, upload);
            model.freezeBase();

            var optimizer = AdamW.defaults(manager);
            var trainer = new LoraTrainer(model, examples, optimizer, new LearningRateSchedule(input.learningRate(), steps),
                    seed, settings.firstInPlaceShare(), settings.trainingMemory(), manager);
            int done = checkpoints.restore(trainer.trainable(), optimizer, workDir);
            log(ready, done > 0 ? "resuming from the checkpoint at step " + done + " of " + steps
                    : "training " + config.name() + " with rank-" + input.rank() + " adapters on "
                            + String.join(", ", model.lora().targetModules()) + " over " + examples.size()
                            + " sample(s) for " + steps + " steps");
            log(ready, "base weights in " + upload.storage().label() + " (" + upload.report().summary() + "); "
                    + settings.trainingMemory().describe());
            var clock = new StepClock(done, steps);
            while (done < steps) {
                if (cancellations.isCanceled(id)) {
                    JobObjects.deleteWorkingObjects(store, id);
                    events.emit(id, ready.keyId(), EventType.CANCELED, new Payloads.Canceled(Payloads.STAGE_TRAIN));
                    hold.markFinished("canceled");
                    return;
                }
                if (Thread.interrupted()) {
                    handBack(checkpoints, done, trainer, workDir);
                }
                LoraTrainer.StepResult result = trainer.step();
                done = result.step();
                clock.stepped(done);
                try {
                    afterStep(ready, result, clock, checkpoints, trainer, model, validation, manager, workDir);
                } catch (RuntimeException e) {
                    // A stop can land inside a Kafka or S3 call, which then fails instead of the next check.
                    if (!Thread.interrupted()) {
                        throw e;
                    }
                    handBack(checkpoints, done, trainer, workDir);
                }
            }
            checkpoints.save(steps, trainer.trainable(), optimizer, workDir);
            var output = outputs(ready, model, validation, manager, workDir, done);
            lease.confirm();
            double seconds = (System.nanoTime() - started) / 1e9;
            // From here a stop waits: an outcome without its charge and done marker would be announced
            // (and its webhook sent) again by the next worker.
            Uninterruptible.run("finish-" + id, () -> {
                events.emit(id, ready.keyId(), EventType.COMPLETED, new Payloads.Completed(output, seconds));
                // The ledger counts one charge per request id, so a redelivered job is never billed twice.
                events.send(Records.billing(BillingRecord.of(id, ready.keyId(), ready.endpoint(),
                        input.billableUnits(), Instant.now())));
                hold.markFinished(Json.toBytes(output));
                JobObjects.deleteWorkingObjects(store, id);
            });
        }
    }

    /** Progress, periodic checkpoint and preview after step {@code result.step()}. */
    private void afterStep(ReadyMessage ready, LoraTrainer.StepResult result, StepClock clock, Checkpoints checkpoints,
                           LoraTrainer trainer, VideoTransformer model, ValidationSet validation, NDManager manager,
                           Path workDir) throws IOException {
        int done = result.step();
        int steps = ready.input().numberOfSteps();
        lease.check();
        if (done % settings.progressEvery() == 0 || done == steps || done == 1) {
            events.emit(ready.requestId(), ready.keyId(), EventType.PROGRESS, new Payloads.Progress(Payloads.STAGE_TRAIN,
                    done, steps, result.loss(), result.learningRate(), clock.secondsPerStep(), clock.etaSeconds()));
        }
        if (!Double.isFinite(result.gradientNorm())) {
            log(ready, "step " + done + ": gradient not finite, update skipped");
        }
        if (done < steps && done % settings.checkpointEvery() == 0) {
            checkpoints.save(done, trainer.trainable(), trainer.optimizer(), workDir);
        }
        if (validation != null && settings.previewEvery() > 0 && done < steps && done % settings.previewEvery() == 0) {
            String name = "previews/step_" + done + ".mp4";
            upload(ready, name, reel(model, validation, ready.input(), manager, workDir.resolve("preview.mp4")),
                    "video/mp4");
            // A log line is text, rendered as written: this link lasts as long as a presigned URL can (7 days).
            log(ready, "preview at step " + done + ": " + store.downloadUrl(outputKey(ready, name)));
        }
    }

    /** Saves the state (the interrupt flag already cleared: S3's client refuses an interrupted thread) and gives up the job. */
    private void handBack(Checkpoints checkpoints, int done, LoraTrainer trainer, Path workDir)
            throws IOException, InterruptedException {
        checkpoints.save(done, trainer.trainable(), trainer.optimizer(), workDir);
        lease.close(); // at once, so the next worker need not wait for it to go stale
        throw new InterruptedException("worker stopping: checkpoint saved at step " + done);
    }

    private TrainingOutput outputs(ReadyMessage ready, VideoTransformer model, ValidationSet validation,
                                   NDManager manager, Path workDir, int stepsTrained) throws IOException {
        TrainingInput input = ready.input();
        Path lora = workDir.resolve("lora.safetensors");
        LoraExporter.write(model, loraMetadata(input), lora);
        Path config = workDir.resolve("config.json");
        var configFile = configFile(input);
        configFile.put("steps_trained", stepsTrained);
        Files.write(config, Json.toBytes(configFile));
        FileRef video = null;
        if (validation != null) {
            video = upload(ready, "validation_reel.mp4",
                    reel(model, validation, input, manager, workDir.resolve("validation_reel.mp4")), "video/mp4");
        }
        FileRef debug = ready.debugDatasetKey() == null ? null : debugDataset(ready);
        return new TrainingOutput(upload(ready, "lora.safetensors", lora, "application/octet-stream"),
                upload(ready, "config.json", config, "application/json"), video, debug);
    }

    private Path reel(VideoTransformer model, ValidationSet validation, TrainingInput input, NDManager manager,
                      Path file) throws IOException {
        try (NDManager scope = manager.newSubManager()) {
            var videos = Previews.render(model, settings.preset(), validation, input.stgScale(), scope);
            ReelWriter.write(videos, validation.fps(), file);
            return file;
        }
    }

    /**
     * Outputs are named by their {@code s3://} location; the gateway presigns a URL each time it
     * renders them, so links never outlive their signature.
     */
    private FileRef upload(ReadyMessage ready, String name, Path file, String contentType) throws IOException {
        String key = outputKey(ready, name);
        store.put(key, file);
        return new FileRef(store.location(key).toString(), contentType, name, Files.size(file));
    }

    /**
     * The job's own copy of its debug dataset: the cached one belongs to every job of that dataset
     * and may be evicted, and the job's outputs must live and expire together.
     */
    private FileRef debugDataset(ReadyMessage ready) {
        String key = outputKey(ready, "debug_dataset.zip");
        store.copy(ready.debugDatasetKey(), key);
        return new FileRef(store.location(key).toString(), "application/zip", "debug_dataset.zip", store.size(key));
    }

    private static String outputKey(ReadyMessage ready, String name) {
        return JobObjects.outputsPrefix(ready.requestId()) + name;
    }

    private Map<String, String> loraMetadata(TrainingInput input) {
        var metadata = new LinkedHashMap<String, String>();
        metadata.put("format", "ltx-lora");
        metadata.put("base_model", settings.preset().name());
        metadata.put("training_type", "interpolate");
        metadata.put("rank", Integer.toString(input.rank()));
        metadata.put("alpha", Integer.toString(input.rank()));
        metadata.put("trigger_phrase", input.triggerPhrase() == null ? "" : input.triggerPhrase());
        metadata.put("include_middle_keyframe", Boolean.toString(input.includeMiddleKeyframe()));
        metadata.put("steps", Integer.toString(input.numberOfSteps()));
        metadata.put("target_modules", String.join(",", loraSpec(input).targetModules()));
        metadata.putAll(KeyframeConvention.metadata(settings.firstInPlaceShare()));
        return metadata;
    }

    private Map<String, Object> configFile(TrainingInput input) {
        var config = new LinkedHashMap<String, Object>();
        config.put("base_model", settings.preset().name());
        config.put("training_type", "interpolate");
        config.put("trigger_phrase", input.triggerPhrase());
        config.put("include_middle_keyframe", input.includeMiddleKeyframe());
        config.put("rank", input.rank());
        config.put("alpha", input.rank());
        config.put("target_modules", loraSpec(input).targetModules());
        config.put(KeyframeConvention.FIRST_IN_PLACE_SHARE, settings.firstInPlaceShare());
        config.put("number_of_steps", input.numberOfSteps());
        config.put("learning_rate", input.learningRate());
        config.put("optimizer", "adamw (beta 0.9/0.999, weight decay 0.01), warm-up 5 %, linear decay to 10 %, "
                + "gradient norm clipped at 1");
        config.put("resolution", input.resolution().name().toLowerCase(java.util.Locale.ROOT));
        config.put("aspect_ratio", input.aspectRatio().name().toLowerCase(java.util.Locale.ROOT));
        config.put("width", input.bucket().width());
        config.put("height", input.bucket().height());
        config.put("number_of_frames", input.numberOfFrames());
        config.put("frame_rate", input.frameRate());
        return config;
    }

    /** The job's adapters: its rank on the layers this worker adapts. */
    private LoraSpec loraSpec(TrainingInput input) {
        return new LoraSpec(input.rank(), settings.feedForwardLora());
    }

    private void log(ReadyMessage ready, String message) {
        events.emit(ready.requestId(), ready.keyId(), EventType.LOG,
                new Payloads.Log("INFO", "train: " + message, Payloads.STAGE_TRAIN));
    }

    /** One seed per job, so a resumed run draws exactly what the interrupted one would have. */
    static long seed(String requestId) {
        return requestId.hashCode() * 0x9E3779B97F4A7C15L + 17;
    }
}
