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
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        // UTF-8 straight from Jackson into the reply's buffer: no String, no intermediate byte[].
        written(ctx, status, JsonBuffers.of(body));
    }

    /**
     * Sends a JSON document already written into {@code body} ({@link JsonBuffers}) with the given
     * status. Not an overload of {@link #json}: a call passing a generic {@code JsonNode} result
     * (such as {@code ObjectNode.set}'s) would infer {@code Buffer} and pick it.
     */
    public static void written(RoutingContext ctx, int status, Buffer body) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader("Content-Type", JSON).end(body);
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
