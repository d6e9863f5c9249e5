package org.ltxfleet.model.transformer;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ltxfleet.model.nn.CheckpointLoader;
import org.ltxfleet.model.nn.CheckpointNames;
import org.ltxfleet.model.nn.Noise;
import org.ltxfleet.model.nn.ParameterUpload;
import org.ltxfleet.model.nn.StorageReport;
import org.ltxfleet.model.nn.ValueStream;
import org.ltxfleet.model.nn.WeightStorage;
import org.ltxfleet.model.safetensors.DType;
import org.ltxfleet.model.safetensors.SafetensorsWriter;

/**
 * Fills a transformer's parameters: seeded initial values, or a (sharded) safetensors checkpoint by
 * the real key names. Every parameter draws from its own stream seeded by (seed, name), so adding
 * adapters never changes the base's initial values and runs repeat bit for bit. Values are made on
 * the host and created on the manager's device ({@link ParameterUpload}).
 */
public final class Weights {

    /** The single-file LTX checkpoint's prefix before transformer keys. */
    public static final String CHECKPOINT_PREFIX = "model.diffusion_model.";

    private Weights() {
    }

    /** An upload into {@code manager} that keeps the base's matrices as {@code storage} says. */
    public static ParameterUpload upload(VideoTransformer model, NDManager manager, WeightStorage storage) {
        return new ParameterUpload(manager, storage, CheckpointNames.rowScaled(model));
    }

    /**
     * Seeded initial values, DiT style: linear weights N(0, 1/in), biases 0, norms 1, AdaLN tables
     * N(0, 1/D); the gate logits start at 0 (gates at 1); LoRA A uniform in ±1/√in and B zero (the adapted model equals
     * the base at step 0).
     */
    public static void initialize(VideoTransformer model, NDManager manager, long seed) {
        initialize(model, ParameterUpload.float32(manager), seed);
    }

    /** {@link #initialize(VideoTransformer, NDManager, long)} through {@code upload} (a synthetic 16-bit base). */
    public static StorageReport initialize(VideoTransformer model, ParameterUpload upload, long seed) {
        model.parametersByName().forEach((name, parameter) -> initialize(name, parameter, upload, seed, false));
        return upload.report();
    }

    /**
     * Values of the same distributions for benchmarks of real widths: normals from the JDK's ziggurat,
     * ten times faster than {@link Noise}'s but not guaranteed to repeat bit for bit across JVMs.
     */
    public static StorageReport initializeSynthetic(VideoTransformer model, ParameterUpload upload, long seed) {
        model.parametersByName().forEach((name, parameter) -> initialize(name, parameter, upload, seed, true));
        return upload.report();
    }

    /** Seeded adapters only: the base comes from a checkpoint ({@link #load}). */
    public static void initializeAdapters(VideoTransformer model, NDManager manager, long seed) {
        var upload = ParameterUpload.float32(manager);
        model.parametersByName().forEach((name, parameter) -> {
            if (VideoTransformer.isLora(name)) {
                initialize(name, parameter, upload, seed, false);
            }
        });
    }

    private static void initialize(String name, Parameter parameter, ParameterUpload upload, long seed, boolean fast) {
        var random = new SplittableRandom(seed ^ (long) name.hashCode() * 0x9E3779B97F4A7C15L);
        try {
            upload.upload(name, parameter, values(name, parameter.getShape(), random, fast));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ValueStream values(String name, Shape shape, SplittableRandom random, boolean fast) {
        if (name.endsWith(".lora_B") || name.endsWith(".bias") || zeroInit(name)) {
            return (target, count) -> Arrays.fill(target, 0, count, 0f);
        } else if (name.endsWith("norm.weight")) {
            return (target, count) -> Arrays.fill(target, 0, count, 1f);
        } else if (name.endsWith(".lora_A")) {
            double bound = 1 / Math.sqrt(shape.get(1));
            return (target, count) -> {
                for (int i = 0; i < count; i++) {
                    target[i] = (float) ((2 * random.nextDouble() - 1) * bound);
                }
            };
        }
        double std = 1 / Math.sqrt(shape.get(name.endsWith("scale_shift_table") ? 1 : shape.dimension() - 1));
        return fast ? fastNormals(new SplittableRandom(random.nextLong()), std) : Noise.stream(random.nextLong(), std);
    }

    private static ValueStream fastNormals(SplittableRandom random, double std) {
        return (target, count) -> {
            for (int i = 0; i < count; i++) {
                target[i] = (float) (random.nextGaussian() * std);
            }
        };
    }

    private static boolean zeroInit(String name) {
        return name.contains("to_gate_logits.");
    }

    /**
     * Loads every base parameter from safetensors shards by checkpoint name (with or without the
     * {@code model.diffusion_model.} prefix), checking shapes and converting bf16/f16 to float32;
     * keys the video model does not use (audio stream, VAE, connectors) are skipped. Adapters, which
     * a base checkpoint does not hold, keep their current values. Returns the number of tensors loaded.
     */
    public static int load(VideoTransformer model, List<Path> shards, NDManager manager) throws IOException {
        return load(model, shards, ParameterUpload.float32(manager));
    }

    /** {@link #load(VideoTransformer, List, NDManager)} through {@code upload}, whose report says what 16 bits changed. */
    public static int load(VideoTransformer model, List<Path> shards, ParameterUpload upload) throws IOException {
        var base = new LinkedHashMap<String, Parameter>();
        model.parametersByName().forEach((name, parameter) -> {
            if (!VideoTransformer.isLora(name)) {
                base.put(name, parameter);
            }
        });
        return CheckpointLoader.load(base, shards, List.of(CHECKPOINT_PREFIX), model.config().name() + " model", upload);
    }

    /** Writes the base parameters as float32 safetensors (exact, so a reload is bit-identical). */
    public static void saveBase(VideoTransformer model, Map<String, String> metadata, Path file) throws IOException {
        var writer = new SafetensorsWriter();
        metadata.forEach(writer::metadata);
        addBase(model, writer, "");
        writer.write(file);
    }

    /** Adds the base parameters, float32, under {@code prefix} (the release's is {@link #CHECKPOINT_PREFIX}). */
    public static void addBase(VideoTransformer model, SafetensorsWriter writer, String prefix) {
        model.parametersByName().forEach((name, parameter) -> {
            if (!VideoTransformer.isLora(name)) {
                if (parameter.getArray().getDataType() != DataType.FLOAT32) {
                    throw new IllegalStateException("the base is kept in 16 bits (" + name + "); write a float32 base");
                }
                writer.add(prefix + name, DType.F32, parameter.getShape().getShape(), () -> parameter.getArray().toFloatArray());
            }
        });
    }
}
