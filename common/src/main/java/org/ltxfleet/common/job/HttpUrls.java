package org.ltxfleet.common.job;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The one check of a user-supplied http(s) URL, used for every URL field and the
 * {@code fal_webhook} query parameter: a URL that passes here can be connected to (scheme, host,
 * port in range), so a bad one is refused at submit with 422 instead of failing in a worker.
 * Whether its address may be fetched is the SSRF guard's business, at fetch time.
 */
public final class HttpUrls {

    /** Why a URL was refused: pydantic's message and type. */
    public record Problem(String msg, String type) {
    }

    private HttpUrls() {
    }

    /** The parsed URL, or throws with the reason. */
    public static URI parse(String value) throws InvalidUrlException {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw new InvalidUrlException(new Problem("Input should be a valid URL, " + e.getReason(), "url_parsing"));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidUrlException(new Problem("URL scheme should be 'http' or 'https'", "url_scheme"));
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            // java.net.URI leaves the host empty for an authority it cannot split, such as a port
            // beyond 2^31 or a host with characters DNS does not allow.
            String reason = uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()
                    ? "empty host" : "invalid host or port";
            throw new InvalidUrlException(new Problem("Input should be a valid URL, " + reason, "url_parsing"));
        }
        // -1 is "no port given"; 0 and anything past 65535 cannot be connected to.
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            throw new InvalidUrlException(new Problem("Input should be a valid URL, invalid port number", "url_parsing"));
        }
        return uri;
    }

    /** A URL refused by {@link #parse}. */
    public static final class InvalidUrlException extends Exception {
        private final Problem problem;

        InvalidUrlException(Problem problem) {
            super(problem.msg());
            this.problem = problem;
        }

        /** The reason, as a 422 entry shows it. */
        public Problem problem() {
            return problem;
        }
    }
}
