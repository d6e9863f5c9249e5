package org.ltxfleet.gateway.console;

import java.net.URI;

/**
 * The security headers of every console answer. The Content-Security-Policy lets the pages load
 * and call only their own origin, with one exception: pictures and video may also come from the
 * store's public origin, because output links, the validation reel and uploaded keyframe images
 * are presigned URLs of the S3 store (another host, or at least another port, than the gateway).
 * No inline script or style, no plugins, no framing, forms that submit nowhere (the pages send
 * everything with {@code fetch}, so a key typed before the script loaded never lands in a URL).
 *
 * @param storeOrigin {@code scheme://host[:port]} of the store's presigned links; null when unknown
 */
public record ConsolePolicy(String storeOrigin) {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConsolePolicy.class);

    /**
     * The policy for {@code store}'s links: presigning one (no network call) gives exactly the
     * origin output links point at, path-style or virtual-hosted, at {@code s3.public.endpoint} or
     * not. Without credentials to presign with, no store origin is allowed (the console then shows
     * no reel) and the gateway says so.
     */
    public static ConsolePolicy forStore(org.ltxfleet.common.s3.ObjectStore store) {
        try {
            return forStoreLink(store.downloadUrl("console"));
        } catch (RuntimeException e) {
            LOG.warn("cannot presign a store link ({}); the console will not show outputs from the store", e.toString());
            return new ConsolePolicy(null);
        }
    }

    /** The policy for links presigned as {@code sampleLink}: its origin is the store's. */
    public static ConsolePolicy forStoreLink(String sampleLink) {
        URI uri = URI.create(sampleLink);
        String origin = uri.getScheme() + "://" + uri.getRawAuthority();
        return new ConsolePolicy(origin.toLowerCase(java.util.Locale.ROOT));
    }

    /** The {@code Content-Security-Policy} header's value. */
    public String contentSecurityPolicy() {
        String store = storeOrigin == null ? "" : " " + storeOrigin;
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:" + store
                + "; media-src 'self'" + store + "; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                + "form-action 'none'; frame-ancestors 'none'";
    }
}
