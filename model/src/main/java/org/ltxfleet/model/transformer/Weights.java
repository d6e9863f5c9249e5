package org.ltxfleet.model.transformer;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ltxfleet.model.nn.CheckpointLoader;
import org.ltxfleet.model.nn.Noise;
import org.ltxfleet.model.safetensors.DType;
import org.ltxfleet.model.safetensors.SafetensorsWriter;

/**
 * Fills a transformer's parameters: seeded initial values, or a (sharded) safetensors checkpoint by
 * the real key names. Every parameter draws from its own stream seeded by (seed, name), so adding
 * adapters never changes the base's initial values and runs repeat bit for bit.
 */
public final class Weights {

    /** The single-file LTX checkpoint's prefix before transformer keys. */
    public static final String CHECKPOINT_PREFIX = "model.diffusion_model.";

    private Weights() {
    }

    /**
     * Seeded initial values, DiT style: linear weights N(0, 1/in), biases 0, norms 1, AdaLN tables
     * N(0, 1/D); the gate logits start at 0 (gates at 1); LoRA A uniform in ±1/√in and B zero (the adapted model equals
     * the base at step 0).
     */
    public static void initialize(VideoTransformer model, NDManager manager, long seed) {
        model.parametersByName().forEach((name, parameter) -> {
            Shape shape = parameter.getShape();
            SplittableRandom random = new SplittableRandom(seed ^ (long) name.hashCode() * 0x9E3779B97F4A7C15L);
            fill(name, shape, CheckpointLoader.nativeView(parameter, manager), random);
        });
    }

    /** Written straight into native memory: real-width layers hold more floats than a Java array may. */
    private static void fill(String name, Shape shape, FloatBuffer values, SplittableRandom random) {
        if (name.endsWith(".lora_B") || name.endsWith(".bias") || zeroInit(name)) {
            while (values.hasRemaining()) {
                values.put(0f);
            }
        } else if (name.endsWith("norm.weight")) {
            while (values.hasRemaining()) {
                values.put(1f);
            }
        } else if (name.endsWith(".lora_A")) {
            double bound = 1 / Math.sqrt(shape.get(1));
            while (values.hasRemaining()) {
                values.put((float) ((2 * random.nextDouble() - 1) * bound));
            }
        } else if (name.endsWith("scale_shift_table")) {
            Noise.fill(random.nextLong(), values, 1 / Math.sqrt(shape.get(1)));
        } else {
            Noise.fill(random.nextLong(), values, 1 / Math.sqrt(shape.get(shape.dimension() - 1)));
        }
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
        var base = new LinkedHashMap<String, Parameter>();
        model.parametersByName().forEach((name, parameter) -> {
            if (!VideoTransformer.isLora(name)) {
                base.put(name, parameter);
            }
        });
        return CheckpointLoader.load(base, shards, List.of(CHECKPOINT_PREFIX), model.config().name() + " model", manager);
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
                writer.add(prefix + name, DType.F32, parameter.getShape().getShape(), () -> parameter.getArray().toFloatArray());
            }
        });
    }
}
