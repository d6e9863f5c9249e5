package org.ltxfleet.model.preset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.ltxfleet.model.base.TinyBase;

/** Where a preset's base transformer weights come from. */
public sealed interface BaseWeights {

    /** The shards on this machine, made first if this preset makes its own. */
    List<Path> local(Consumer<String> log) throws IOException;

    /**
     * Weights this project makes by seeded pre-training ({@link TinyBase}), kept in {@code file};
     * a fleet makes them once and shares them through its store.
     */
    record Pretrained(Path file) implements BaseWeights {

        @Override
        public List<Path> local(Consumer<String> log) throws IOException {
            return List.of(TinyBase.ensure(file.getParent(), log));
        }

        /** Pre-trains them into {@code target} in a child process (the caller shares the result). */
        public void make(Path target, Consumer<String> log) throws IOException {
            TinyBase.trainInChildProcess(TinyBase.Recipe.standard(), target, log);
        }
    }

    /** A released checkpoint's shards, named by the settings. */
    record Checkpoint(String preset, List<Path> shards) implements BaseWeights {

        public Checkpoint {
            shards = List.copyOf(shards);
        }

        @Override
        public List<Path> local(Consumer<String> log) throws IOException {
            if (shards.isEmpty()) {
                throw new IOException("the " + preset + " preset needs its checkpoint: set model.weights to the "
                        + "safetensors shard(s) of Lightricks' release");
            }
            for (Path shard : shards) {
                if (!Files.isRegularFile(shard)) {
                    throw new IOException("model.weights names " + shard + ", which is not a file");
                }
            }
            return shards;
        }
    }
}
