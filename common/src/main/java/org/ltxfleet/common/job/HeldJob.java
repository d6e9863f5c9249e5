package org.ltxfleet.common.job;

import java.util.function.Consumer;
import org.ltxfleet.common.kafka.StageConsumer;

/**
 * The one job a stage's handler holds, from its claim to its release (a worker runs one job at a
 * time). Written by the job thread, read by it and by the polling thread that releases it.
 */
public final class HeldJob {

    private volatile JobHold held;

    /**
     * Waits for {@code hold} ({@link JobHold#await}); keeps it and returns true once this worker
     * holds the job, false when the stage has already ended it.
     */
    public boolean take(JobHold hold, Consumer<String> waiting) throws InterruptedException {
        if (!hold.await(waiting)) {
            return false;
        }
        held = hold;
        return true;
    }

    /** The hold taken, or null. */
    public JobHold get() {
        return held;
    }

    /**
     * Whether the job held may be failed by this worker: false when the stage has ended it
     * meanwhile; {@link StageConsumer.HandedBack} when another worker has taken it over (that one
     * ends it), after confirming the lease.
     */
    public boolean mayGiveUp() throws StageConsumer.HandedBack {
        JobHold taken = held;
        if (taken.finished()) {
            return false;
        }
        try {
            taken.lease().confirm();
        } catch (JobLease.LostException e) {
            throw new StageConsumer.HandedBack(e.getMessage());
        }
        return true;
    }

    /** Lets go of the hold, if any. */
    public void release() {
        JobHold taken = held;
        held = null;
        if (taken != null) {
            taken.close();
        }
    }
}
