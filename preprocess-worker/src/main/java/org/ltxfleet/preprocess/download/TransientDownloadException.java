package org.ltxfleet.preprocess.download;

import java.io.IOException;

/** A failure worth retrying: the connection broke, timed out, or the server answered 5xx or 429. */
final class TransientDownloadException extends IOException {

    TransientDownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
