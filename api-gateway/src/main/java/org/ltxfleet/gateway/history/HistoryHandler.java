package org.ltxfleet.gateway.history;

import io.vertx.ext.web.RoutingContext;
import org.ltxfleet.common.job.InvalidInputException;
import org.ltxfleet.gateway.GatewayServices;
import org.ltxfleet.gateway.auth.AuthHandler;
import org.ltxfleet.gateway.http.Replies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/requests?limit=&cursor=&status=}: the caller's jobs, newest first, a page at a time
 * ({@link RequestHistory}); a bad parameter answers 422 naming it. The page is read off the event loop
 * (the archive's part comes from the store).
 */
public final class HistoryHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryHandler.class);

    private final RequestHistory history;

    /** A handler over the gateway's projection, its store's history and its ledger. */
    public HistoryHandler(GatewayServices services) {
        this.history = services.history();
    }

    /** Handles one list call. */
    public void handle(RoutingContext ctx) {
        HistoryQuery query;
        try {
            query = HistoryQuery.parse(ctx.queryParams());
        } catch (InvalidInputException e) {
            Replies.error(ctx, 422, e.problems());
            return;
        }
        String keyId = AuthHandler.keyId(ctx);
        ctx.vertx().executeBlocking(() -> history.page(keyId, query), false).onComplete(page -> {
            if (page.succeeded()) {
                Replies.json(ctx, 200, page.result());
            } else {
                LOG.warn("cannot list the requests of a key: {}", page.cause().toString());
                ctx.response().putHeader("Retry-After", "1");
                Replies.error(ctx, 503, "The job history cannot be read now; retry");
            }
        });
    }
}
