package org.ltxfleet.common.s3;

/** Keys of a job's objects that more than one module uses (docs/pipeline-contracts.md lists them all). */
public final class JobObjects {

    private JobObjects() {
    }

    /** Where the train worker puts a job's outputs and the gateway deletes them when their retention ends. */
    public static String outputsPrefix(String requestId) {
        return "jobs/" + requestId + "/outputs/";
    }
}
