package org.ltxfleet.model.text.ltx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ltxfleet.model.nn.CheckpointLoader;
import org.ltxfleet.model.nn.CheckpointNames;
import org.ltxfleet.model.nn.Module;
import org.ltxfleet.model.nn.ParameterUpload;
import org.ltxfleet.model.nn.Tensors;
import org.ltxfleet.model.nn.WeightStorage;
import org.ltxfleet.model.safetensors.SafetensorsReader;

/**
 * LTX-2.3's text path after Gemma ({@code EmbeddingsProcessor.process_hidden_states}): the
 * {@link FeatureExtractor} turns all hidden states into video and audio features, which are
 * reordered to right padding ({@link RightPadding}) and run through the video and audio
 * {@link EmbeddingsConnector}s. Parameter names are those of the single-file LTX-2.3 checkpoint.
 */
public final class TextEmbeddings extends Module {

    /** Where the single-file checkpoint keeps the feature extractor. */
    public static final String FEATURE_EXTRACTOR_PREFIX = "text_embedding_projection.";

    private final TextEmbeddingsConfig config;
    private final FeatureExtractor featureExtractor;
    private final EmbeddingsConnector videoConnector;
    private final EmbeddingsConnector audioConnector;

    public TextEmbeddings(TextEmbeddingsConfig config, int gemmaHidden, int gemmaStates) {
        this.config = config;
        this.featureExtractor = child(FEATURE_EXTRACTOR_PREFIX.substring(0, FEATURE_EXTRACTOR_PREFIX.length() - 1),
                new FeatureExtractor(gemmaHidden, gemmaStates, config.videoWidth(), config.audioWidth()));
        this.videoConnector = child("model.diffusion_model.video_embeddings_connector",
                new EmbeddingsConnector(config.video()));
        this.audioConnector = child("model.diffusion_model.audio_embeddings_connector",
                new EmbeddingsConnector(config.audio()));
    }

    /** Everything the path computes; encodings and connector tensors are in right-padded order. */
    public record Output(FeatureExtractor.Features features, int[][] order, int[][] reorderedMask,
                         NDArray videoConnectorIn, EmbeddingsConnector.Output video,
                         EmbeddingsConnector.Output audio) {
        /** Video context for the transformer's cross-attention {@code [B, T, videoWidth]}; every position is valid. */
        public NDArray videoEncoding() {
            return video.encoding();
        }

        public NDArray audioEncoding() {
            return audio.encoding();
        }

        /** The mask handed on with the encodings: all ones, since registers fill every pad. */
        public int[][] attentionMask() {
            long[] shape = video.encoding().getShape().getShape();
            int[][] ones = new int[(int) shape[0]][(int) shape[1]];
            for (int[] row : ones) {
                Arrays.fill(row, 1);
            }
            return ones;
        }
    }

    /**
     * A model whose config comes from {@code weights}' metadata, loaded from it.
     *
     * @param gemmaHidden Gemma's hidden width
     * @param gemmaStates Gemma's layers + 1 (the embedding output and every layer's)
     */
    public static TextEmbeddings load(Path weights, int gemmaHidden, int gemmaStates, NDManager manager)
            throws IOException {
        return load(weights, gemmaHidden, gemmaStates, manager, WeightStorage.FLOAT32);
    }

    /** {@link #load(Path, int, int, NDManager)} with the linear layers' matrices kept as {@code storage} says. */
    public static TextEmbeddings load(Path weights, int gemmaHidden, int gemmaStates, NDManager manager,
                                      WeightStorage storage) throws IOException {
        String json;
        try (var reader = SafetensorsReader.open(weights)) {
            json = reader.metadata().get("config");
        }
        var config = json == null ? TextEmbeddingsConfig.ltx23() : TextEmbeddingsConfig.fromCheckpointMetadata(json);
        var model = new TextEmbeddings(config, gemmaHidden, gemmaStates);
        CheckpointLoader.load(model.parametersByName(), List.of(weights), List.of(), "LTX text embeddings",
                new ParameterUpload(manager, storage, CheckpointNames.rowScaled(model)));
        return model;
    }

    /** Every parameter by checkpoint name. */
    public Map<String, Parameter> parametersByName() {
        return CheckpointNames.of(this);
    }

    /**
     * @param hiddenStates Gemma's states {@code [states, B, T, gemmaHidden]}
     * @param mask the tokenizer's left-padded mask {@code [B][T]} (1 real, 0 pad)
     */
    public Output process(NDArray hiddenStates, int[][] mask) {
        NDManager manager = hiddenStates.getManager();
        var features = featureExtractor.apply(hiddenStates, floats(mask, manager));
        int[][] order = RightPadding.order(mask);
        int[][] reordered = RightPadding.reorderedMask(mask);
        NDArray reorderedMask = floats(reordered, manager);
        NDArray videoIn = gather(features.video(), order);
        NDArray audioIn = gather(features.audio(), order);
        return new Output(features, order, reordered, videoIn, videoConnector.apply(videoIn, reorderedMask),
                audioConnector.apply(audioIn, reorderedMask));
    }

    public TextEmbeddingsConfig config() {
        return config;
    }

    public EmbeddingsConnector videoConnector() {
        return videoConnector;
    }

    /** Rows of {@code x [B, T, C]} taken per batch row in {@code order}. */
    private static NDArray gather(NDArray x, int[][] order) {
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        long[] flat = new long[(int) (batch * tokens)];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < tokens; t++) {
                flat[(int) (b * tokens + t)] = b * tokens + order[b][t];
            }
        }
        NDArray rows = x.reshape(batch * tokens, x.getShape().get(2));
        return rows.get(x.getManager().create(flat)).reshape(x.getShape());
    }

    private static NDArray floats(int[][] mask, NDManager manager) {
        int tokens = mask[0].length;
        float[] values = new float[mask.length * tokens];
        for (int b = 0; b < mask.length; b++) {
            for (int t = 0; t < tokens; t++) {
                values[b * tokens + t] = mask[b][t];
            }
        }
        return Tensors.create(manager, values, new Shape(mask.length, tokens));
    }
}
