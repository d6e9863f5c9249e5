package org.ltxfleet.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.common.job.JobLease;
import org.ltxfleet.common.s3.SharedFiles;
import org.ltxfleet.model.preset.BaseWeights;
import org.ltxfleet.model.preset.Preset;

/**
 * Where a preset's base weights are: weights the preset makes itself (tiny's) are in
 * {@code model.dir}, else fetched from the store's {@code models/} (where the first worker of the
 * fleet to need them made and put them, while the others waited); a checkpoint's are its shards.
 */
final class BaseModels {

    private final ObjectStore store;

    BaseModels(ObjectStore store) {
        this.store = store;
    }

    synchronized List<Path> weights(Preset preset, Consumer<String> log) throws IOException {
        if (preset.baseWeights() instanceof BaseWeights.Pretrained pretrained) {
            Path local = pretrained.file();
            return List.of(SharedFiles.ensure(store, "models/" + local.getFileName(), local, target -> {
                log.accept("no " + preset.name() + " base weights in the fleet yet: pre-training them (seeded, a few minutes)");
                pretrained.make(target, log);
            }, JobLease.DEFAULT_TIMING, log));
        }
        return preset.baseWeights().local(log);
    }
}
