package org.ltxfleet.model.preset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ltxfleet.model.nn.WeightStorage;
import org.ltxfleet.model.safetensors.CheckpointConfig;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.text.Ltx23TextEncoder;
import org.ltxfleet.model.text.TextEncoder;
import org.ltxfleet.model.text.ltx.TextEmbeddings;
import org.ltxfleet.model.training.TrainingMemory;
import org.ltxfleet.model.transformer.KeyframeLayout;
import org.ltxfleet.model.transformer.TransformerConfig;
import org.ltxfleet.model.vae.VideoVae;
import org.ltxfleet.model.vae.ltx.LtxVae;

/**
 * Lightricks' LTX-2.3: the transformer, VAE and text connectors from the single-file checkpoint
 * ({@code model.weights}), Gemma-3 and its tokenizer from their own directory
 * ({@code model.text.encoder}). Widths are read from the checkpoint's {@code config} metadata, so a
 * reduced checkpoint with the real names runs through the same code. Adapters on attention only,
 * as LTX's trainer does.
 */
public final class Ltx23Preset implements Preset {

    public static final String NAME = "ltx-2.3";

    private final List<Path> weights;
    private final Path textEncoder;
    private final WeightStorage baseStorage;
    private TransformerConfig transformer;
    private LtxVae vae;
    private Encoders encoders;

    Ltx23Preset(List<Path> weights, Path textEncoder, WeightStorage baseStorage) {
        this.weights = List.copyOf(weights);
        this.textEncoder = textEncoder;
        this.baseStorage = baseStorage;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The checkpoint's widths; LTX-2.3's own when no checkpoint is named or it carries no config. */
    @Override
    public synchronized TransformerConfig transformer() {
        if (transformer == null) {
            String config = checkpointConfig();
            transformer = config == null ? TransformerConfig.ltx23()
                    : TransformerConfig.fromCheckpointMetadata(config).withName(NAME);
        }
        return transformer;
    }

    @Override
    public BaseWeights.Checkpoint baseWeights() {
        return new BaseWeights.Checkpoint(NAME, weights);
    }

    @Override
    public synchronized VideoVae vae() throws IOException {
        if (vae == null) {
            vae = LtxVae.load(baseWeights().local(line -> { }));
        }
        return vae;
    }

    @Override
    public synchronized Encoders encoders() throws IOException {
        if (encoders == null) {
            encoders = new Encoders(vae(), text());
        }
        return encoders;
    }

    /** Appended, as LTX's keyframe-interpolation pipeline samples. */
    @Override
    public KeyframeLayout previewLayout() {
        return KeyframeLayout.APPENDED;
    }

    @Override
    public boolean feedForwardLoraByDefault() {
        return false;
    }

    /** 16-bit by default: the release is bf16, which row-scaled fp16 holds exactly (docs/GPU.md). */
    @Override
    public WeightStorage baseStorage() {
        return baseStorage;
    }

    /** Block checkpointing and recomputed attention: without them a step does not fit one card (docs/GPU.md). */
    @Override
    public TrainingMemory trainingMemoryByDefault() {
        return TrainingMemory.ltx23();
    }

    private TextEncoder text() throws IOException {
        if (textEncoder == null) {
            throw new IOException("the " + NAME + " preset encodes captions with Gemma 3: set model.text.encoder to its "
                    + "directory (config.json, the safetensors shards and tokenizer.json)");
        }
        return Ltx23TextEncoder.load(textEncoder, shardHolding(TextEmbeddings.FEATURE_EXTRACTOR_PREFIX), baseStorage);
    }

    /** The shard that holds tensors named {@code prefix…} (the text tensors sit in one of the release's files). */
    private Path shardHolding(String prefix) throws IOException {
        for (Path shard : baseWeights().local(line -> { })) {
            try (var reader = SafetensorsReader.open(shard)) {
                if (reader.names().stream().anyMatch(name -> name.startsWith(prefix))) {
                    return shard;
                }
            }
        }
        throw new IOException("no shard of model.weights holds LTX's text connectors (" + prefix + "…): the "
                + NAME + " preset needs the single-file release, which does");
    }

    /** The {@code config} metadata of the first existing shard with a transformer section (a missing one is reported at loading). */
    private String checkpointConfig() {
        try {
            return CheckpointConfig.withSection(weights.stream().filter(Files::isRegularFile).toList(), "transformer");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint's header: " + e.getMessage(), e);
        }
    }
}
