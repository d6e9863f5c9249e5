package org.ltxfleet.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.ltxfleet.common.json.Json;

/** Every JSON reply goes through here, so errors look the same on every route: {@code {"detail": …}}. */
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

    /** Sends {@code {"detail": detail}} with the given status; detail may be a sentence or a list. */
    public static void error(RoutingContext ctx, int status, Object detail) {
        var body = Json.object();
        body.set("detail", Json.toTree(detail));
        json(ctx, status, body);
    }
}
