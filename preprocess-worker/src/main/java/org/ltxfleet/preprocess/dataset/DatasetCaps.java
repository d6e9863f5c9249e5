package org.ltxfleet.preprocess.dataset;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ltxfleet.common.job.JobFailedException;
import org.ltxfleet.model.latent.Keyframe;
import org.ltxfleet.model.latent.TrainingExample;

/**
 * How much one job's dataset may hold: the latents stay in memory until the bundle is written, and
 * the train worker loads them all, so an archive of thousands of long clips must fail with a 422
 * saying what to change instead of exhausting either worker. Counts from several decoding threads
 * at once.
 *
 * @param maxSamples     samples (windows) one job may give
 * @param maxLatentBytes bytes of latents (windows, keyframes and caption features) one job may give
 */
public record DatasetCaps(int maxSamples, long maxLatentBytes) {

    public DatasetCaps {
        if (maxSamples < 1 || maxLatentBytes < 1) {
            throw new IllegalArgumentException("preprocess.max.samples and preprocess.max.latent.bytes must be "
                    + "positive, got " + maxSamples + " and " + maxLatentBytes);
        }
    }

    /** A fresh count for one job. */
    public Tally tally() {
        return new Tally(this);
    }

    /** What one job has taken so far. */
    public static final class Tally {
        private final DatasetCaps caps;
        private final AtomicInteger samples = new AtomicInteger();
        private final AtomicLong bytes = new AtomicLong();

        private Tally(DatasetCaps caps) {
            this.caps = caps;
        }

        /** Counts one encoded sample; throws a 422 once the job is over either cap. */
        public void take(TrainingExample example) {
            int count = samples.incrementAndGet();
            long total = bytes.addAndGet(bytesOf(example));
            if (count > caps.maxSamples()) {
                throw tooLarge("more than " + caps.maxSamples() + " samples");
            }
            if (total > caps.maxLatentBytes()) {
                throw tooLarge("more than " + caps.maxLatentBytes() / (1024 * 1024) + " MiB of latents (" + count
                        + " samples so far)");
            }
        }

        private static JobFailedException tooLarge(String what) {
            return JobFailedException.invalidField("dataset_too_large", "training_data_url",
                    "The archive gives " + what + ", over this service's limit; send fewer or shorter clips, or "
                            + "choose fewer number_of_frames or a lower resolution");
        }

        static long bytesOf(TrainingExample example) {
            long floats = example.video().data().length + example.caption().data().length;
            for (Keyframe keyframe : example.keyframes()) {
                floats += keyframe.latent().data().length;
            }
            return floats * Float.BYTES;
        }
    }
}
