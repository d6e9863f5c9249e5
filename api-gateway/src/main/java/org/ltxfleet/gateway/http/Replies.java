package org.ltxfleet.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.ltxfleet.common.json.Json;

/**
 * Every JSON reply goes through here, so errors look the same on every route, as fal answers
 * them: a request error is flat, {@code {"detail": "…", "error_type": "…"}}; a validation error
 * is {@code {"detail": [{loc, msg, type}, …]}}; both carry {@code X-Fal-Error-Type}.
 */
public final class Replies {

    public static final String JSON = "application/json";

    private Replies() {
    }

    /** Sends a value as JSON with the given status. */
    public static void json(RoutingContext ctx, int status, Object body) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        // Bytes straight from Jackson: a String first would be encoded to UTF-8 a second time.
        response.setStatusCode(status).putHeader("Content-Type", JSON).end(Buffer.buffer(Json.toBytes(body)));
    }

    /**
     * Sends an error with the given status and the error type that status stands for
     * ({@link ErrorTypes#forStatus}); detail may be a sentence or a list of validation problems.
     */
    public static void error(RoutingContext ctx, int status, Object detail) {
        error(ctx, status, ErrorTypes.forStatus(status), detail);
    }

    /**
     * Sends {@code {"detail": detail, "error_type": errorType}} (a list of validation problems
     * without {@code error_type}, as fal's validation errors are) and {@code X-Fal-Error-Type}.
     */
    public static void error(RoutingContext ctx, int status, String errorType, Object detail) {
        JsonNode tree = Json.toTree(detail);
        var body = Json.object();
        body.set("detail", tree);
        if (!tree.isArray()) {
            body.put("error_type", errorType);
        }
        if (!ctx.response().headWritten()) {
            ctx.response().putHeader(ErrorTypes.HEADER, errorType);
        }
        json(ctx, status, body);
    }
}
