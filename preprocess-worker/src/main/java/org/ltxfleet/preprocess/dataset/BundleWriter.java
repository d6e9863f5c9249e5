package org.ltxfleet.preprocess.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ltxfleet.common.job.TrainingInput;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.model.latent.LatentBundle;
import org.ltxfleet.model.preset.Encoders;

/**
 * Stores a latent bundle under {@code datasets/{cache_key}/}: the tensors first, then
 * {@code manifest.json}, whose presence marks the bundle complete (a worker killed between the two
 * leaves no manifest, and the next job with that archive simply prepares it again).
 */
public final class BundleWriter {

    private final ObjectStore store;
    private final Encoders encoders;

    public BundleWriter(ObjectStore store, Encoders encoders) {
        this.store = store;
        this.encoders = encoders;
    }

    /** Writes and uploads the bundle; returns its statistics (also in the manifest). */
    public Map<String, Object> write(String bundleKey, String cacheKey, TrainingInput input,
                                     List<SampleEncoder.Encoded> samples, List<ClipReport> reports, Path workDir)
            throws IOException {
        Path tensors = workDir.resolve(LatentBundle.TENSORS);
        LatentBundle.write(samples.stream().map(SampleEncoder.Encoded::example).toList(),
                Map.of("vae", encoders.vae().id(), "text_encoder", encoders.text().id(), "cache_key", cacheKey), tensors);
        store.put(bundleKey + LatentBundle.TENSORS, tensors);

        var stats = new LinkedHashMap<String, Object>();
        stats.put("samples", samples.size());
        stats.put("clips", reports.size());
        stats.put("clips_used", reports.stream().filter(r -> r.windows() > 0).count());
        stats.put("clips_skipped", reports.stream().filter(r -> r.windows() == 0).count());
        stats.put("frames_per_sample", input.numberOfFrames());
        stats.put("frame_rate", input.frameRate());
        stats.put("bucket", input.bucket().width() + "x" + input.bucket().height());
        var manifest = new LinkedHashMap<String, Object>();
        manifest.put("layout_version", 1);
        manifest.put("cache_key", cacheKey);
        manifest.put("created_at", Instant.now().toString());
        manifest.put("vae", encoders.vae().id());
        manifest.put("text_encoder", encoders.text().id());
        manifest.put("tensors", LatentBundle.TENSORS);
        manifest.put("stats", stats);
        manifest.put("samples", samples.stream().map(SampleEncoder.Encoded::manifestEntry).toList());
        manifest.put("clips", reports);
        store.put(bundleKey + LatentBundle.MANIFEST, Json.toBytes(manifest), "application/json");
        return stats;
    }
}
