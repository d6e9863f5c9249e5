package org.ltxfleet.infra.eval;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.job.InputValidator;
import org.ltxfleet.common.job.TrainingInput;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.model.eval.Evaluation;
import org.ltxfleet.model.latent.TextFeatures;
import org.ltxfleet.model.latent.TrainingExample;
import org.ltxfleet.model.lora.LoraLoader;
import org.ltxfleet.model.preset.Encoders;
import org.ltxfleet.model.preset.Preset;
import org.ltxfleet.model.sampling.GuidanceSettings;
import org.ltxfleet.model.training.ExampleEncoder;
import org.ltxfleet.model.transformer.KeyframeLayout;
import org.ltxfleet.model.transformer.TransformerConfig;
import org.ltxfleet.model.transformer.VideoTransformer;
import org.ltxfleet.model.transformer.Weights;
import org.ltxfleet.model.vae.PixelVideo;
import org.ltxfleet.model.vae.Psnr;
import org.ltxfleet.preprocess.archive.ArchiveInspector;
import org.ltxfleet.preprocess.archive.ArchiveLimits;
import org.ltxfleet.preprocess.dataset.DatasetPreparer;
import org.ltxfleet.preprocess.dataset.PreprocessSettings;
import org.ltxfleet.preprocess.dataset.Sample;

/**
 * Evaluates a LoRA on a zip of clips: the clips are cut into windows exactly as a job would cut
 * them, then base and base + LoRA are compared on the held-out flow-matching loss (fixed σ and
 * noise that training never draws; with the keyframes appended, and with the first in place as
 * image-to-video graphs put it) and on the PSNR of keyframe-conditioned interpolation against the
 * real in-between frames (every frame but the two keyframes; keyframes laid out as the preset's reel
 * lays them out, unless told; sampled as the reel samples), beside a cross-fade between the same
 * keyframes. The figures the demo prints are {@code lora_db}, {@code base_db} and {@code crossfade_db}.
 */
public final class EvalRun {

    private final Preset preset;
    private final int maxSamples;
    private final KeyframeLayout layout;

    /** An evaluation that samples with the preset's reel layout. */
    public EvalRun(Preset preset, int maxSamples) {
        this(preset, maxSamples, preset.previewLayout());
    }

    /** An evaluation that samples with the keyframes laid out by {@code layout}. */
    public EvalRun(Preset preset, int maxSamples, KeyframeLayout layout) {
        this.preset = preset;
        this.maxSamples = maxSamples;
        this.layout = layout;
    }

    /**
     * The figures, and the first window as it really is, as the base sampled it and as base + LoRA
     * sampled it (for a {@link ContactSheet}).
     */
    public record Outcome(Map<String, Object> figures, PixelVideo truth, PixelVideo base, PixelVideo lora) {
    }

    /** The window settings a job would use: {@code input} holds job fields such as number_of_frames. */
    public Outcome run(Path lora, Path zip, Map<String, Object> input, Consumer<String> log) throws Exception {
        var body = Json.object();
        body.put("training_data_url", "https://example.invalid/eval.zip");
        input.forEach((k, v) -> body.set(k, Json.toTree(v)));
        TrainingInput job = new InputValidator().validate(body);
        Encoders encoders = preset.encoders();
        var encoder = new ExampleEncoder(encoders.vae(), encoders.text());
        List<Sample> samples = windows(zip, job, log);
        var examples = new ArrayList<TrainingExample>();
        var truths = new ArrayList<PixelVideo>();
        for (Sample sample : samples) {
            PixelVideo video = sample.window().pixels();
            truths.add(video);
            examples.add(encoder.encode(video, sample.caption(), job.includeMiddleKeyframe(), job.frameRate()));
        }
        log.accept(examples.size() + " window(s) of " + job.numberOfFrames() + " frames at " + job.bucket().width()
                + "x" + job.bucket().height());
        TransformerConfig config = preset.transformer();
        var negative = encoders.text().encode(TrainingInput.DEFAULT_NEGATIVE_PROMPT);
        var result = new LinkedHashMap<String, Object>();
        result.put("windows", examples.size());
        try (NDManager manager = NDManager.newBaseManager()) {
            var model = new VideoTransformer(config, LoraLoader.spec(lora));
            Weights.initializeAdapters(model, manager, 1);
            Weights.load(model, preset.baseWeights().local(log), Weights.upload(model, manager, preset.baseStorage()));
            log.accept("base model: held-out loss and interpolation");
            double baseLoss = Evaluation.heldOutLoss(model, examples, KeyframeLayout.APPENDED, manager);
            double baseFirstInPlace = Evaluation.heldOutLoss(model, examples, KeyframeLayout.FIRST_IN_PLACE, manager);
            List<PixelVideo> base = interpolate(model, encoders, examples, negative, job, manager);
            LoraLoader.load(model.parametersByName(), lora);
            log.accept("base + LoRA: held-out loss and interpolation");
            double loraLoss = Evaluation.heldOutLoss(model, examples, KeyframeLayout.APPENDED, manager);
            double loraFirstInPlace = Evaluation.heldOutLoss(model, examples, KeyframeLayout.FIRST_IN_PLACE, manager);
            List<PixelVideo> tuned = interpolate(model, encoders, examples, negative, job, manager);
            var crossFades = truths.stream().map(Evaluation::crossFade).toList();
            var roundTrips = truths.stream().map(t -> encoders.vae().decode(encoders.vae().encode(t))).toList();
            result.put("lora_db", round(meanInBetween(truths, tuned)));
            result.put("crossfade_db", round(meanInBetween(truths, crossFades)));
            result.put("base_db", round(meanInBetween(truths, base)));
            result.put("vae_roundtrip_db", round(meanInBetween(truths, roundTrips)));
            result.put("base_heldout_loss", round(baseLoss));
            result.put("lora_heldout_loss", round(loraLoss));
            result.put("lora_to_base_loss_ratio", round(loraLoss / baseLoss));
            result.put("base_heldout_loss_first_in_place", round(baseFirstInPlace));
            result.put("lora_heldout_loss_first_in_place", round(loraFirstInPlace));
            result.put("lora_to_base_loss_ratio_first_in_place", round(loraFirstInPlace / baseFirstInPlace));
            GuidanceSettings sampling = preset.previewGuidance(job.stgScale(), Preset.PREVIEW_SEED);
            result.put("sampling", sampling.describe() + ", keyframes first/last"
                    + (job.includeMiddleKeyframe() ? "/middle" : "") + " " + layout.label()
                    + "; PSNR over the in-between frames");
            return new Outcome(result, truths.get(0), base.get(0), tuned.get(0));
        }
    }

    /** Each window sampled between its keyframes as the preset's reel samples, decoded. */
    private List<PixelVideo> interpolate(VideoTransformer model, Encoders encoders, List<TrainingExample> examples,
                                         TextFeatures negative, TrainingInput job, NDManager manager) {
        var videos = new ArrayList<PixelVideo>();
        for (int i = 0; i < examples.size(); i++) {
            try (NDManager scope = manager.newSubManager()) {
                TrainingExample example = examples.get(i);
                videos.add(Evaluation.interpolate(model, encoders.vae(), example, layout, negative,
                        preset.previewGuidance(job.stgScale(), Preset.PREVIEW_SEED + i), scope));
            }
        }
        return videos;
    }

    private static double meanInBetween(List<PixelVideo> truths, List<PixelVideo> videos) {
        double total = 0;
        for (int i = 0; i < truths.size(); i++) {
            total += Psnr.inBetween(truths.get(i), videos.get(i));
        }
        return total / truths.size();
    }

    private List<Sample> windows(Path zip, TrainingInput job, Consumer<String> log) throws IOException, InterruptedException {
        var samples = Collections.synchronizedList(new ArrayList<Sample>());
        Path work = Files.createTempDirectory("fleet-eval");
        FleetConfig defaults = FleetConfig.load(null);
        try (var archive = ArchiveInspector.open(zip, ArchiveLimits.from(defaults))) {
            new DatasetPreparer(PreprocessSettings.from(defaults)).prepare(archive, job, work, samples::add, log);
        }
        samples.sort(java.util.Comparator.comparing(Sample::id));
        return samples.size() > maxSamples ? samples.subList(0, maxSamples) : samples;
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
