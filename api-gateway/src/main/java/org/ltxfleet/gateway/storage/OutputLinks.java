package org.ltxfleet.gateway.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiFunction;
import org.ltxfleet.common.s3.StoredObject;
import org.ltxfleet.gateway.projection.JobSnapshot;

/**
 * Turns the {@code s3://} locations in a job's output into presigned URLs, each time the output
 * is rendered (result, webhook): a link handed out today works for the configured lifetime from
 * today, whenever the job ended. A link never outlives the output's retention. Older outputs that
 * already carry an http URL are served as they are.
 */
public final class OutputLinks {

    private static final Duration SHORTEST = Duration.ofSeconds(1);

    private final BiFunction<StoredObject, Duration, String> presign;
    private final Duration lifetime;

    /** Links made by {@code presign} (object, validity), valid for {@code lifetime}. */
    public OutputLinks(BiFunction<StoredObject, Duration, String> presign, Duration lifetime) {
        this.presign = presign;
        this.lifetime = lifetime;
    }

    /** The job's output with links valid from now. */
    public JsonNode render(JobSnapshot job) {
        return render(job.output(), job.outputsExpireAt(), Instant.now());
    }

    /**
     * A copy of {@code output} with every file's {@code url} presigned now; {@code expiresAt} (null:
     * kept) bounds the links' validity.
     */
    public JsonNode render(JsonNode output, Instant expiresAt, Instant now) {
        if (output == null || !output.isObject()) {
            return output;
        }
        Duration valid = lifetime;
        if (expiresAt != null) {
            Duration left = Duration.between(now, expiresAt);
            valid = left.compareTo(valid) < 0 ? left : valid;
            valid = valid.compareTo(SHORTEST) < 0 ? SHORTEST : valid;
        }
        ObjectNode rendered = output.deepCopy();
        for (JsonNode file : rendered) {
            if (file instanceof ObjectNode fileRef) {
                var location = StoredObject.parse(fileRef.path("url").asText(null));
                if (location.isPresent()) {
                    fileRef.put("url", presign.apply(location.get(), valid));
                }
            }
        }
        return rendered;
    }
}
