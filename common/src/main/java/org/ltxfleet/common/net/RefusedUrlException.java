package org.ltxfleet.common.net;

import java.net.URI;

/** A URL the {@link UrlGuard} will not let the fleet fetch or call: the user's error, never retried. */
public final class RefusedUrlException extends Exception {

    /** A refusal of {@code uri} for {@code reason}. */
    public RefusedUrlException(URI uri, String reason) {
        super("URL not allowed (" + uri.getScheme() + "://" + uri.getHost() + "…): " + reason);
    }
}
