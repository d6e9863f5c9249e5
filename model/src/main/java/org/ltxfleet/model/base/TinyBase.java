package org.ltxfleet.model.base;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.function.Consumer;
import org.ltxfleet.model.latent.TrainingExample;
import org.ltxfleet.model.nn.CpuThreads;
import org.ltxfleet.model.text.HashedWordEncoder;
import org.ltxfleet.model.training.AdamW;
import org.ltxfleet.model.training.ExampleEncoder;
import org.ltxfleet.model.training.LearningRateSchedule;
import org.ltxfleet.model.training.LoraTrainer;
import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.TransformerConfig;
import org.ltxfleet.model.transformer.VideoTransformer;
import org.ltxfleet.model.transformer.Weights;
import org.ltxfleet.model.vae.TinyVae;

/**
 * The {@code tiny} preset's base weights, made here and never downloaded: every parameter is
 * trained from a seeded initialisation on seeded {@link PatternClips} with the keyframe objective.
 * Everything (initial values, clips, σ, ε) comes from fixed seeds and the engine runs
 * deterministic CPU kernels, so on one machine the file is the same bit for bit each time.
 */
public final class TinyBase {

    /** Bump when the recipe changes: the file name carries it, so old weights are not reused. */
    public static final String VERSION = "v2";
    public static final long SEED = 20_261_130L;

    /** The recipe: how many clips and steps, at which size. */
    public record Recipe(int clips, int steps, int frames, int height, int width, double learningRate) {

        /** What {@code ./fleet base tiny} runs. */
        public static Recipe standard() {
            return new Recipe(64, 1000, 33, 256, 256, 1e-3);
        }
    }

    private TinyBase() {
    }

    /** The weights file in {@code directory}. */
    public static Path file(Path directory) {
        return directory.resolve("tiny-base-" + VERSION + ".safetensors");
    }

    /** The weights file, pre-training it first when it is missing. */
    public static Path ensure(Path directory, Consumer<String> log) throws IOException {
        Path file = file(directory);
        if (!Files.exists(file)) {
            log.accept("no tiny base weights in " + directory + ": pre-training them (seeded, about a minute)");
            train(Recipe.standard(), file, log);
        }
        return file;
    }

    /** Pre-trains the base model by {@code recipe} and writes it to {@code target} atomically. */
    public static void train(Recipe recipe, Path target, Consumer<String> log) throws IOException {
        CpuThreads.singleThreaded(() -> {
            trainOnThisThread(recipe, target, log);
            return null;
        });
    }

    private static void trainOnThisThread(Recipe recipe, Path target, Consumer<String> log) throws IOException {
        TransformerConfig config = TransformerConfig.tiny();
        var encoder = new ExampleEncoder(new TinyVae(), new HashedWordEncoder(config.hidden()));
        var examples = new ArrayList<TrainingExample>();
        for (int i = 0; i < recipe.clips(); i++) {
            var clip = PatternClips.clip(SEED, i, recipe.frames(), recipe.height(), recipe.width());
            examples.add(encoder.encode(clip.video(), clip.caption(), i % 2 == 1, 24));
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            var model = new VideoTransformer(config, LoraSpec.none());
            Weights.initialize(model, manager, SEED);
            model.parametersByName().values().forEach(p -> p.freeze(false));
            var trainer = new LoraTrainer(model, examples, AdamW.defaults(manager),
                    new LearningRateSchedule(recipe.learningRate(), recipe.steps()), SEED, manager);
            double recent = 0;
            for (int step = 1; step <= recipe.steps(); step++) {
                recent += trainer.step().loss();
                if (step % 100 == 0) {
                    log.accept(String.format("tiny base: step %d/%d, mean loss %.4f", step, recipe.steps(), recent / 100));
                    recent = 0;
                }
            }
            var metadata = new LinkedHashMap<String, String>();
            metadata.put("model", config.name());
            metadata.put("version", VERSION);
            metadata.put("seed", Long.toString(SEED));
            metadata.put("recipe", recipe.toString());
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path partial = target.resolveSibling(target.getFileName() + ".partial");
            Weights.saveBase(model, metadata, partial);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
