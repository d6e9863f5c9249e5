package org.ltxfleet.model.preset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Settings;
import org.ltxfleet.common.s3.ModelFiles;
import org.ltxfleet.common.s3.S3Settings;
import org.ltxfleet.model.nn.WeightStorage;
import org.ltxfleet.model.sampling.GuidanceSettings;
import org.ltxfleet.model.training.TrainingMemory;
import org.ltxfleet.model.transformer.KeyframeLayout;
import org.ltxfleet.model.transformer.TransformerConfig;
import org.ltxfleet.model.vae.VideoVae;

/**
 * Everything a model preset decides: the transformer's widths, where its base weights come from,
 * its VAE and text encoder, and the LoRA defaults that suit it. Workers, the evaluator and the CLI
 * ask the preset; nothing else branches on a preset's name.
 */
public sealed interface Preset permits TinyPreset, Ltx23Preset {

    String name();

    TransformerConfig transformer();

    BaseWeights baseWeights();

    /** The VAE alone (the train worker decodes previews and needs no text encoder). Loaded once. */
    VideoVae vae() throws IOException;

    /** The VAE and text encoder a dataset is encoded with. Loaded once; thread-safe. */
    Encoders encoders() throws IOException;

    /** Where the validation reel and {@code ./fleet eval} put the keyframes while sampling. */
    KeyframeLayout previewLayout();

    /** The noise seed of the first validation entry's sample (the next ones count on from it). */
    long PREVIEW_SEED = 1000;

    /**
     * How the validation reel and {@code ./fleet eval} sample: the preset's Euler steps, CFG 3 against
     * the negative prompt, {@code stgScale} (the job's {@code stg_scale}) on the preset's STG block and
     * rescale 0.7, LTX-2.3's validation defaults.
     */
    default GuidanceSettings previewGuidance(double stgScale, long seed) {
        TransformerConfig config = transformer();
        return new GuidanceSettings(config.samplingSteps(), 3.0, stgScale, Set.of(config.stgBlock()), 0.7, seed);
    }

    /** Adapters on the feed-forward layers too, unless a job's settings say otherwise. */
    boolean feedForwardLoraByDefault();

    /** How the frozen base's matrices are kept ({@code model.base.precision}, else this preset's choice). */
    WeightStorage baseStorage();

    /** How a training step keeps its tensors unless the {@code train.*} settings say otherwise. */
    TrainingMemory trainingMemoryByDefault();

    /**
     * The preset a train worker needs ({@code model.preset}, {@code model.dir}, {@code model.weights}): the
     * text encoder is left out, so a checkpoint in an object store is fetched ({@link ModelFiles}) but Gemma is not.
     */
    static Preset forTraining(FleetConfig config) throws IOException {
        return named(Settings.MODEL_PRESET.read(config), Sources.fromSettings(config, false));
    }

    /** The preset a preprocess worker needs: {@link #forTraining}'s files and the text encoder ({@code model.text.encoder}). */
    static Preset forEncoding(FleetConfig config) throws IOException {
        return named(Settings.MODEL_PRESET.read(config), Sources.fromSettings(config, true));
    }

    static Preset named(String name, Sources sources) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case TinyPreset.NAME -> new TinyPreset(sources.modelDir(), sources.storageOr(WeightStorage.FLOAT32));
            case Ltx23Preset.NAME -> new Ltx23Preset(sources.weights(), sources.textEncoder(),
                    sources.storageOr(WeightStorage.FLOAT16));
            default -> throw new IllegalArgumentException("unknown model preset '" + name + "' (known: "
                    + TinyPreset.NAME + ", " + Ltx23Preset.NAME + ")");
        };
    }

    /**
     * Where a preset's files are, and how its base is kept.
     *
     * @param modelDir where weights made on first use are kept (tiny's)
     * @param weights checkpoint shards (ltx-2.3's single-file release: transformer, VAE, text connectors)
     * @param textEncoder the Gemma-3 model directory (config.json, safetensors, tokenizer.json), or null
     * @param storage how the frozen base's matrices are kept, or null for the preset's choice
     */
    record Sources(Path modelDir, List<Path> weights, Path textEncoder, WeightStorage storage) {
        public Sources {
            weights = List.copyOf(weights);
        }

        public Sources(Path modelDir, List<Path> weights, Path textEncoder) {
            this(modelDir, weights, textEncoder, null);
        }

        public static Sources of(Path modelDir) {
            return new Sources(modelDir, List.of(), null);
        }

        public Sources withStorage(WeightStorage value) {
            return new Sources(modelDir, weights, textEncoder, value);
        }

        WeightStorage storageOr(WeightStorage fallback) {
            return storage == null ? fallback : storage;
        }

        /** The files the settings name, those in an object store fetched into {@code model.dir/s3/}. */
        static Sources fromSettings(FleetConfig config, boolean withTextEncoder) throws IOException {
            Path modelDir = Path.of(Settings.MODEL_DIR.read(config));
            String weights = Settings.MODEL_WEIGHTS.read(config, "");
            String text = Settings.MODEL_TEXT_ENCODER.read(config, "");
            String precision = Settings.MODEL_BASE_PRECISION.read(config, "");
            WeightStorage storage = precision.isBlank() ? null
                    : WeightStorage.parse(precision, Settings.MODEL_BASE_PRECISION.key());
            try (var files = new ModelFiles(S3Settings.from(config), modelDir.resolve("s3"))) {
                var shards = new ArrayList<Path>();
                for (String shard : weights.split(",")) {
                    if (!shard.isBlank()) {
                        shards.add(files.local(Settings.MODEL_WEIGHTS.key(), shard.trim()));
                    }
                }
                return new Sources(modelDir, shards,
                        text.isBlank() || !withTextEncoder ? null : files.local(Settings.MODEL_TEXT_ENCODER.key(), text.trim()),
                        storage);
            }
        }
    }
}
