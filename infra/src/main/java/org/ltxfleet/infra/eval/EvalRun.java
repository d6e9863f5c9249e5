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
import org.ltxfleet.model.latent.TrainingExample;
import org.ltxfleet.model.lora.LoraLoader;
import org.ltxfleet.model.preset.Encoders;
import org.ltxfleet.model.preset.Preset;
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
 * real in-between frames (keyframes laid out as the preset's reel lays them out, unless told), beside
 * a cross-fade between the same keyframes.
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

    /** The window settings a job would use: {@code input} holds job fields such as number_of_frames. */
    public Map<String, Object> run(Path lora, Path zip, Map<String, Object> input, Consumer<String> log) throws Exception {
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
            double basePsnr = psnr(model, encoders, examples, truths, negative, manager);
            LoraLoader.load(model.parametersByName(), lora);
            log.accept("base + LoRA: held-out loss and interpolation");
            double loraLoss = Evaluation.heldOutLoss(model, examples, KeyframeLayout.APPENDED, manager);
            double loraFirstInPlace = Evaluation.heldOutLoss(model, examples, KeyframeLayout.FIRST_IN_PLACE, manager);
            double loraPsnr = psnr(model, encoders, examples, truths, negative, manager);
            double crossFade = truths.stream().mapToDouble(Evaluation::crossFadePsnr).average().orElse(Double.NaN);
            double roundTrip = truths.stream().mapToDouble(t -> Psnr.of(t, encoders.vae().decode(encoders.vae().encode(t))))
                    .average().orElse(Double.NaN);
            result.put("base_heldout_loss", round(baseLoss));
            result.put("lora_heldout_loss", round(loraLoss));
            result.put("lora_to_base_loss_ratio", round(loraLoss / baseLoss));
            result.put("base_heldout_loss_first_in_place", round(baseFirstInPlace));
            result.put("lora_heldout_loss_first_in_place", round(loraFirstInPlace));
            result.put("lora_to_base_loss_ratio_first_in_place", round(loraFirstInPlace / baseFirstInPlace));
            result.put("base_interpolation_psnr_db", round(basePsnr));
            result.put("lora_interpolation_psnr_db", round(loraPsnr));
            result.put("crossfade_psnr_db", round(crossFade));
            result.put("vae_roundtrip_psnr_db", round(roundTrip));
            result.put("sampling", config.samplingSteps() + " Euler steps, keyframes first/last"
                    + (job.includeMiddleKeyframe() ? "/middle" : "") + " " + layout.label() + ", no guidance, seed 7");
        }
        return result;
    }

    private double psnr(VideoTransformer model, Encoders encoders, List<TrainingExample> examples,
                               List<PixelVideo> truths, org.ltxfleet.model.latent.TextFeatures negative,
                               NDManager manager) {
        double total = 0;
        for (int i = 0; i < examples.size(); i++) {
            try (NDManager scope = manager.newSubManager()) {
                total += Evaluation.interpolationPsnr(model, encoders.vae(), examples.get(i), layout, truths.get(i),
                        negative, Evaluation.unguided(model, 7), scope);
            }
        }
        return total / examples.size();
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
