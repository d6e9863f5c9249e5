package org.ltxfleet.model.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.ltxfleet.model.latent.TextFeatures;
import org.ltxfleet.model.nn.CheckpointNames;
import org.ltxfleet.model.nn.GradMode;
import org.ltxfleet.model.nn.ParameterUpload;
import org.ltxfleet.model.nn.StorageReport;
import org.ltxfleet.model.nn.WeightStorage;
import org.ltxfleet.model.safetensors.TensorFingerprint;
import org.ltxfleet.model.text.gemma.Gemma3Config;
import org.ltxfleet.model.text.gemma.Gemma3TextModel;
import org.ltxfleet.model.text.gemma.GemmaFolder;
import org.ltxfleet.model.text.gemma.GemmaInput;
import org.ltxfleet.model.text.gemma.GemmaProbe;
import org.ltxfleet.model.text.gemma.GemmaTokenizer;
import org.ltxfleet.model.text.gemma.GemmaWeights;
import org.ltxfleet.model.text.ltx.TextEmbeddings;

/**
 * LTX-2.3's text encoder: Gemma's tokenizer (left-padded to 1024), the Gemma-3 text decoder's hidden
 * states, then LTX's feature extractor and video connector. Features are the video encoding,
 * {@code [maxLength, videoWidth]}, every row valid (the connector's registers fill the pads).
 *
 * <p>Thread-safe: {@link #encode} calls run one at a time, each in its own NDManager freed on return;
 * the weights are only read. One call at a time because a call already spreads over the engine's
 * intra-op threads and a real-width call holds several GB of activations.
 *
 * <p>Memory: activations are float32 (bf16 crashes DJL); the matrices are float32 or, on preprocess
 * workers of {@code ltx-2.3}, fp16 rows with a power-of-two scale ({@link WeightStorage#FLOAT16}),
 * exact for the bf16 release. The real Gemma-3 12B is ≈ 11.8 G parameters, ≈ 47 GB in float32 and
 * ≈ 24 GB in 16 bits; LTX-2.3's feature extractor and two connectors add ≈ 3.2 G. Per call, the 49
 * hidden states at 1024 × 3840 take 0.77 GB and the feature extractor holds two or three copies of
 * them; attention builds full T × T scores, 64 MiB per layer at T = 1024. So ≈ 64 GB of RAM for the
 * real model; tests use {@code SyntheticTextModel}'s tiny one instead.
 */
public final class Ltx23TextEncoder implements TextEncoder, AutoCloseable {

    private final GemmaTokenizer tokenizer;
    private final Gemma3TextModel gemma;
    private final TextEmbeddings embeddings;
    private final NDManager manager;
    private final String id;
    private final StorageReport storage;

    private Ltx23TextEncoder(GemmaTokenizer tokenizer, Gemma3TextModel gemma, TextEmbeddings embeddings,
                             NDManager manager, String id, StorageReport storage) {
        this.storage = storage;
        this.tokenizer = tokenizer;
        this.gemma = gemma;
        this.embeddings = embeddings;
        this.manager = manager;
        this.id = id;
    }

    /** The encoder of a Gemma-3 folder and an LTX-2.3 checkpoint at LTX's length, 1024 tokens, float32. */
    public static Ltx23TextEncoder load(Path gemmaFolder, Path ltxCheckpoint) throws IOException {
        return load(gemmaFolder, ltxCheckpoint, GemmaTokenizer.LTX_MAX_LENGTH, WeightStorage.FLOAT32);
    }

    /** The encoder at LTX's length with its matrices kept as {@code storage} says. */
    public static Ltx23TextEncoder load(Path gemmaFolder, Path ltxCheckpoint, WeightStorage storage) throws IOException {
        return load(gemmaFolder, ltxCheckpoint, GemmaTokenizer.LTX_MAX_LENGTH, storage);
    }

    /** The encoder at {@code maxLength} tokens, float32. */
    public static Ltx23TextEncoder load(Path gemmaFolder, Path ltxCheckpoint, int maxLength) throws IOException {
        return load(gemmaFolder, ltxCheckpoint, maxLength, WeightStorage.FLOAT32);
    }

    /**
     * @param gemmaFolder the Gemma-3 model folder ({@link GemmaFolder}: config.json, tokenizer.json, shards)
     * @param ltxCheckpoint the LTX-2.3 single-file checkpoint (or a file with just its text tensors and
     *     {@code config} metadata) holding {@code text_embedding_projection.*} and the connectors
     * @param maxLength tokens per prompt; LTX-2.3 uses 1024, and the connector needs a multiple of its registers
     * @param storage how Gemma's and the feature extractor's matrices are kept (16 bits on preprocess workers)
     */
    public static Ltx23TextEncoder load(Path gemmaFolder, Path ltxCheckpoint, int maxLength, WeightStorage storage)
            throws IOException {
        GemmaFolder folder = GemmaFolder.of(gemmaFolder);
        Gemma3Config config = folder.readConfig();
        NDManager manager = NDManager.newBaseManager();
        GemmaTokenizer tokenizer = null;
        try {
            tokenizer = GemmaTokenizer.open(folder.tokenizer(), maxLength);
            var gemma = new Gemma3TextModel(config);
            var gemmaUpload = new ParameterUpload(manager, storage, CheckpointNames.rowScaled(gemma));
            GemmaWeights.load(gemma, folder.shards(), gemmaUpload);
            var embeddings = TextEmbeddings.load(ltxCheckpoint, config.hidden(), config.layers() + 1, manager, storage);
            gemma.parametersByName().values().forEach(p -> p.freeze(true));
            embeddings.parametersByName().values().forEach(p -> p.freeze(true));

            int registers = embeddings.config().video().registers();
            if (maxLength % registers != 0) {
                // The connector tiles its registers over the sequence (ltx-core asserts the same).
                throw new IllegalArgumentException("the token length " + maxLength + " is not a multiple of the"
                        + " connector's " + registers + " registers");
            }
            String id = id(folder, config, ltxCheckpoint, embeddings, maxLength, gemmaUpload.report());
            return new Ltx23TextEncoder(tokenizer, gemma, embeddings, manager, id, gemmaUpload.report());
        } catch (IOException | RuntimeException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            manager.close();
            throw e;
        }
    }

    /**
     * {@code ltx23-gemma3-v1-<maxLength>-<hash>}: the hash covers the tokenizer.json bytes, both configs
     * and a {@link TensorFingerprint} of the tensors the encoder reads, so new weights, a new tokenizer or
     * another length give another dataset cache key, and a moved copy of the same files does not.
     */
    private static String id(GemmaFolder folder, Gemma3Config config, Path ltxCheckpoint, TextEmbeddings embeddings,
                             int maxLength, StorageReport storage) throws IOException {
        MessageDigest digest = sha256();
        if (storage.inexact() > 0) {
            // Rounded weights give other features: their datasets must not share a cache entry.
            digest.update(("16-bit storage changed " + storage.inexact() + " values\n").getBytes(StandardCharsets.UTF_8));
        }
        digest.update(Files.readAllBytes(folder.tokenizer()));
        digest.update((config + "\n" + embeddings.config() + "\n").getBytes(StandardCharsets.UTF_8));
        TensorFingerprint.update(digest, folder.shards(), name -> true);
        TensorFingerprint.update(digest, List.of(ltxCheckpoint), embeddings.parametersByName()::containsKey);
        String hash = HexFormat.of().formatHex(digest.digest(), 0, 8);
        return "ltx23-gemma3-v1-" + maxLength + "-" + hash;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    /** The prompt's video context {@code [maxLength, videoWidth]}; deterministic for a given encoder. */
    @Override
    public synchronized TextFeatures encode(String prompt) {
        GemmaInput input = tokenizer.encode(prompt);
        try (NDManager call = manager.newSubManager(); GradMode off = GradMode.off()) {
            List<NDArray> states = gemma.hiddenStates(input, call, GemmaProbe.NONE);
            NDArray stacked = NDArrays.stack(new NDList(states), 0);
            NDArray video = embeddings.process(stacked, input.attentionMask()).videoEncoding();
            return new TextFeatures(input.tokens(), width(), video.toFloatArray());
        }
    }

    /** What keeping Gemma's matrices in {@code model.base.precision} changed (nothing for a bf16 checkpoint in float16). */
    @Override
    public String storageSummary() {
        return storage.summary();
    }

    public StorageReport storageReport() {
        return storage;
    }

    /** Width of a feature row: the video transformer's hidden width. */
    public int width() {
        return embeddings.config().videoWidth();
    }

    /** Tokens per prompt, and so rows per feature. */
    public int maxLength() {
        return tokenizer.maxLength();
    }

    /** Frees the weights and the native tokenizer. */
    @Override
    public synchronized void close() {
        tokenizer.close();
        manager.close();
    }
}
