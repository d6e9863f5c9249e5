package org.ltxfleet.model.base;

import ai.djl.ndarray.NDManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;
import org.ltxfleet.model.latent.TrainingExample;
import org.ltxfleet.model.sampling.SigmaSchedule;
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
    public static final String VERSION = "v5";
    public static final long SEED = 20_261_130L;
    static final String PROGRESS_PREFIX = "tiny base: ";

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

    /** The weights file, pre-training it first (in a child process) when it is missing. */
    public static Path ensure(Path directory, Consumer<String> log) throws IOException {
        Path file = file(directory);
        if (!Files.exists(file)) {
            log.accept("no tiny base weights in " + directory + ": pre-training them (seeded, about 3 minutes)");
            trainInChildProcess(Recipe.standard(), file, log);
        }
        return file;
    }

    /**
     * Pre-trains in a child JVM whose PyTorch runs on one thread from the start
     * ({@code OMP_NUM_THREADS=1}, {@code MKL_NUM_THREADS=1}), so the bytes depend on the CPU's
     * kernels only, not on the caller's engine settings or the host's size. Two threads were 9%
     * faster (78 s against 86 s for the standard recipe, at 128 wide): too little to be worth a file that
     * changes with the thread count, or the cores it takes from its neighbours.
     */
    public static void trainInChildProcess(Recipe recipe, Path target, Consumer<String> log) throws IOException {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        var command = List.of(javaBin, "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), TinyBase.class.getName(), target.toAbsolutePath().toString(),
                Integer.toString(recipe.clips()), Integer.toString(recipe.steps()), Integer.toString(recipe.frames()),
                Integer.toString(recipe.height()), Integer.toString(recipe.width()),
                Double.toString(recipe.learningRate()));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", "1");
        builder.environment().put("MKL_NUM_THREADS", "1");
        Process process = builder.start();
        try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith(PROGRESS_PREFIX)) {
                    log.accept(line);
                }
            }
        }
        try {
            if (process.waitFor() != 0 || !Files.exists(target)) {
                throw new IOException("tiny base pre-training failed (exit " + process.exitValue() + ")");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while pre-training the tiny base", e);
        }
    }

    /** The child process of {@link #trainInChildProcess}: {@code target clips steps frames height width lr}. */
    public static void main(String[] args) throws IOException {
        var recipe = new Recipe(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]), Integer.parseInt(args[5]), Double.parseDouble(args[6]));
        train(recipe, Path.of(args[0]), System.out::println);
    }

    /**
     * Pre-trains the base model by {@code recipe} on the engine's current threads and writes it to
     * {@code target} atomically.
     */
    public static void train(Recipe recipe, Path target, Consumer<String> log) throws IOException {
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
            // σ drawn as for the token count the sampler's schedule is shifted for, not for the
            // pre-training clips' few hundred tokens: the reel spends 6 of its 8 steps above σ 0.75.
            var trainer = new LoraTrainer(model, examples, AdamW.defaults(manager),
                    new LearningRateSchedule(recipe.learningRate(), recipe.steps()), SEED, manager)
                    .drawingSigmaAsFor(SigmaSchedule.PIPELINE_TOKENS);
            double recent = 0;
            for (int step = 1; step <= recipe.steps(); step++) {
                recent += trainer.step().loss();
                if (step % 100 == 0) {
                    log.accept(String.format(PROGRESS_PREFIX + "step %d/%d, mean loss %.4f", step, recipe.steps(),
                            recent / 100));
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
