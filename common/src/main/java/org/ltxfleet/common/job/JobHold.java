package org.ltxfleet.common.job;

import java.util.function.Consumer;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.s3.ObjectStore;

/**
 * One stage's hold on one job: the {@link JobLease} that says which worker runs it and the marker
 * that says the stage is finished with it. A worker takes the hold before it counts an attempt or
 * starts anything, and a record delivered again (a rebalance, a redelivery after a crash between
 * the outcome and the commit) finds the job held or finished instead of running it a second time.
 * Both live in the store beside the job's other objects: {@code jobs/{id}/lease/} and
 * {@code jobs/{id}/done.json} for training, {@code jobs/{id}/preprocess/…} for preprocessing.
 */
public final class JobHold implements AutoCloseable {

    /** The stages that hold jobs, and where each keeps its lease and marker under {@code jobs/{id}/}. */
    public enum Stage {
        PREPROCESS("preprocess/lease/", "preprocess/done.json"),
        TRAIN("lease/", "done.json");

        private final String lease;
        private final String done;

        Stage(String lease, String done) {
            this.lease = lease;
            this.done = done;
        }

        /** The marker written once this stage has ended the job, whatever the outcome. */
        public String doneKey(String requestId) {
            return "jobs/" + requestId + "/" + done;
        }

        String leasePrefix(String requestId) {
            return "jobs/" + requestId + "/" + lease;
        }
    }

    private final ObjectStore store;
    private final String doneKey;
    private final JobLease lease;

    public JobHold(ObjectStore store, Stage stage, String requestId, String worker, JobLease.Timing timing) {
        this(store, stage.leasePrefix(requestId), stage.doneKey(requestId), worker, timing);
    }

    /**
     * A hold on any work done once for the fleet: its lease under {@code leasePrefix}, finished once
     * {@code doneKey} exists (a shared file's hold is finished by the file itself, {@link
     * org.ltxfleet.common.s3.SharedFiles}).
     */
    public JobHold(ObjectStore store, String leasePrefix, String doneKey, String worker, JobLease.Timing timing) {
        this.store = store;
        this.doneKey = doneKey;
        this.lease = new JobLease(store, leasePrefix, worker, timing);
    }

    /**
     * Waits while another live worker holds the job ({@code waiting} is told its name once); true
     * once this worker holds it, false when the stage has finished the job, before or meanwhile.
     */
    public boolean await(Consumer<String> waiting) throws InterruptedException {
        boolean announced = false;
        while (true) {
            if (finished()) {
                return false;
            }
            String holder = lease.acquire();
            if (holder == null) {
                if (finished()) {
                    lease.close(); // finished by the previous holder just before it let go
                    return false;
                }
                return true;
            }
            if (!announced) {
                waiting.accept(holder);
                announced = true;
            }
            Thread.sleep(lease.recheckInterval().toMillis());
        }
    }

    /** The lease, while held: {@link JobLease#check} and {@link JobLease#confirm} before outcomes. */
    public JobLease lease() {
        return lease;
    }

    /** Whether the stage has ended the job (by any worker). */
    public boolean finished() {
        return store.exists(doneKey);
    }

    /** Records that the stage has ended the job, with {@code body} as the marker; after the outcome is durable. */
    public void markFinished(byte[] body) {
        store.put(doneKey, body, "application/json");
    }

    /** Records that the stage has ended the job with {@code outcome} (failed, canceled, …). */
    public void markFinished(String outcome) {
        markFinished(Json.toBytes(java.util.Map.of("outcome", outcome)));
    }

    /** Lets go of the lease (at once, so the next worker need not wait for it to go stale). */
    @Override
    public void close() {
        lease.close();
    }
}
