package org.ltxfleet.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.common.s3.SharedFiles;
import org.ltxfleet.model.base.TinyBase;
import org.ltxfleet.model.transformer.TransformerConfig;

/**
 * Where a preset's base weights are: for tiny, in {@code model.dir}, else fetched from the store's
 * {@code models/} (where the first worker of the fleet to need them made and put them, while the
 * others waited); configured shards for ltx-2.3.
 */
final class BaseModels {

    /** A pre-training of the tiny base takes a few minutes; a marker this old is a dead maker's. */
    private static final Duration MAKER_STALE = Duration.ofMinutes(20);

    private final TrainSettings settings;
    private final ObjectStore store;

    BaseModels(TrainSettings settings, ObjectStore store) {
        this.settings = settings;
        this.store = store;
    }

    synchronized List<Path> weights(TransformerConfig config, Consumer<String> log) throws IOException {
        if (config.name().equals("tiny")) {
            Path local = TinyBase.file(settings.modelDir());
            return List.of(SharedFiles.ensure(store, "models/" + local.getFileName(), local, target -> {
                log.accept("no tiny base weights in the fleet yet: pre-training them (seeded, a few minutes)");
                TinyBase.trainInChildProcess(TinyBase.Recipe.standard(), target, log);
            }, MAKER_STALE, log));
        }
        if (settings.baseWeights().isEmpty()) {
            throw new IOException("the " + config.name() + " preset needs its checkpoint: set model.weights to the "
                    + "safetensors shard(s) of Lightricks' release");
        }
        for (Path shard : settings.baseWeights()) {
            if (!Files.isRegularFile(shard)) {
                throw new IOException("model.weights names " + shard + ", which is not a file");
            }
        }
        return settings.baseWeights();
    }
}
