package org.ltxfleet.common.net;

import java.net.UnknownHostException;

/**
 * A host the {@link UrlGuard} will not let the fleet connect to. An {@link UnknownHostException},
 * so that an HTTP client's name lookup can fail with it and the caller still reads the reason.
 */
public final class RefusedAddressException extends UnknownHostException {

    public RefusedAddressException(String reason) {
        super(reason);
    }
}
