package org.ltxfleet.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.ltxfleet.model.base.TinyBase;
import org.ltxfleet.model.transformer.TransformerConfig;

/** Where a preset's base weights are: made on first use for tiny, configured shards for ltx-2.3. */
final class BaseModels {

    private final TrainSettings settings;

    BaseModels(TrainSettings settings) {
        this.settings = settings;
    }

    synchronized List<Path> weights(TransformerConfig config, Consumer<String> log) throws IOException {
        if (config.name().equals("tiny")) {
            return List.of(TinyBase.ensure(settings.modelDir(), log));
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
