package org.ltxfleet.gateway.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.ltxfleet.gateway.http.Replies;

/**
 * {@code GET /console/…}: the web console's static files (plain ES modules, HTML and CSS, README
 * "The console"), each with {@link ConsolePolicy}'s headers. The pages hold no secret and no state:
 * they call the public API with the key a person signs in with, kept in the tab's session storage.
 */
public final class ConsoleRoutes {

    /** The path the console is served under. */
    public static final String PATH = "/console/";

    private final ConsoleFiles files;
    private final ConsolePolicy policy;

    /** Routes over loaded files and a policy. */
    public ConsoleRoutes(ConsoleFiles files, ConsolePolicy policy) {
        this.files = files;
        this.policy = policy;
    }

    /** Adds the console's routes to {@code router}. */
    public void mount(Router router) {
        // Also matches "/console" itself, which is sent on to "/console/" so that relative links resolve.
        router.get(PATH + "*").handler(this::serve);
    }

    private void serve(RoutingContext ctx) {
        var response = ctx.response();
        response.putHeader("Content-Security-Policy", policy.contentSecurityPolicy())
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Cross-Origin-Opener-Policy", "same-origin")
                // Revalidated on every load (a 304 costs little): a new gateway's pages apply at once.
                .putHeader("Cache-Control", "no-cache");
        String normalized = ctx.normalizedPath();
        if (!normalized.startsWith(PATH)) {
            response.setStatusCode(301).putHeader("Location", PATH).end();
            return;
        }
        String path = normalized.substring(PATH.length());
        var file = files.find(path.isEmpty() ? "index.html" : path);
        if (file.isEmpty()) {
            Replies.error(ctx, 404, "Not found: " + ctx.request().path());
            return;
        }
        response.putHeader("ETag", file.get().etag());
        if (file.get().etag().equals(ctx.request().getHeader("If-None-Match"))) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader("Content-Type", file.get().contentType()).end(Buffer.buffer(file.get().bytes()));
    }
}
