package org.ltxfleet.gateway.webhook;

/**
 * What one delivery attempt got: an HTTP status, or an error and no status.
 *
 * @param retryable false for answers that retrying cannot change (410 Gone, a refused URL)
 */
record AttemptResult(Integer statusCode, String error, long durationMs, boolean retryable) {

    boolean delivered() {
        return statusCode != null && statusCode >= 200 && statusCode < 300;
    }

    boolean gone() {
        return statusCode != null && statusCode == 410;
    }
}
