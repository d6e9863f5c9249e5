package org.ltxfleet.common.s3;

/** Keys of a job's objects that more than one module uses (docs/pipeline-contracts.md lists them all). */
public final class JobObjects {

    private JobObjects() {
    }

    /** The validation keyframes the preprocess worker encodes for the train worker; deleted at the job's end. */
    public static String validationKey(String requestId) {
        return "jobs/" + requestId + "/validation.safetensors";
    }

    /** Where the train worker keeps a job's checkpoint while it trains; deleted at the job's end. */
    public static String checkpointsPrefix(String requestId) {
        return "jobs/" + requestId + "/checkpoints/";
    }

    /**
     * Deletes what a job kept in the store only while it ran (its checkpoint and validation
     * keyframes), once it has ended whichever way; a store that cannot be reached leaves them to
     * the bucket's lifecycle rules (docs/OPERATIONS.md) and says so, never failing the outcome.
     */
    public static void deleteWorkingObjects(ObjectStore store, String requestId) {
        quietly(requestId, () -> {
            store.deletePrefix(checkpointsPrefix(requestId));
            store.delete(validationKey(requestId));
        });
    }

    /**
     * What a job that ends before training leaves behind: its validation keyframes only (nothing
     * has checkpointed yet, so no LIST of the checkpoint prefix).
     */
    public static void deleteValidationObjects(ObjectStore store, String requestId) {
        quietly(requestId, () -> store.delete(validationKey(requestId)));
    }

    private static void quietly(String requestId, Runnable deletion) {
        try {
            deletion.run();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(JobObjects.class).warn(
                    "could not delete the working objects of {} ({}); the bucket's lifecycle rules remove them",
                    requestId, e.toString());
        }
    }

    /** Where the train worker puts a job's outputs and the gateway deletes them when their retention ends. */
    public static String outputsPrefix(String requestId) {
        return "jobs/" + requestId + "/outputs/";
    }
}
