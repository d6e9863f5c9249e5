package org.ltxfleet.preprocess.download;

import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.FileSystemException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.NoHttpResponseException;

/**
 * Why a download broke, in words the user acts on. The answer a job gives ends up in its status,
 * its result and its webhook: it never carries an exception's class, a library's wording or a
 * path on the worker; the worker's own log keeps the exception.
 */
final class DownloadFailures {

    private DownloadFailures() {
    }

    /** The reason for {@code error}, to follow "could not download {field}: ". */
    static String describe(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String words = words(t);
            if (words != null) {
                return words;
            }
        }
        return "the connection failed";
    }

    private static String words(Throwable t) {
        String message = t.getMessage() == null ? "" : t.getMessage();
        // Most specific first: several of these extend one another.
        if (t instanceof UnknownHostException) {
            return "the host name could not be resolved";
        }
        if (t instanceof ConnectTimeoutException) {
            return "the server did not accept the connection in time";
        }
        if (t instanceof HttpHostConnectException || t instanceof ConnectException) {
            return "the server refused the connection";
        }
        if (t instanceof NoRouteToHostException) {
            return "the server cannot be reached from here";
        }
        if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException) {
            return "the server stopped sending data and the download timed out";
        }
        if (t instanceof SSLHandshakeException) {
            return "the secure connection could not be set up (the server's certificate was not accepted)";
        }
        if (t instanceof SSLException) {
            return "the secure connection broke";
        }
        if (t instanceof NoHttpResponseException) {
            return "the server closed the connection without answering";
        }
        if (t instanceof ConnectionClosedException || t instanceof EOFException) {
            return "the server closed the connection before the file was complete";
        }
        if (t instanceof ClientProtocolException) {
            return message.contains("userinfo")
                    ? "the URL carries a user name (user@host), which is not supported; put credentials in a signed URL"
                    : "the server's answer is not valid HTTP";
        }
        if (t instanceof FileSystemException) {
            return "the worker could not store the file; this is not your data's fault, retry later";
        }
        if (t instanceof SocketException) {
            String lower = message.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("reset")) {
                return "the connection was reset by the server";
            }
            if (lower.contains("broken pipe") || lower.contains("closed")) {
                return "the server closed the connection";
            }
            return "the connection broke";
        }
        return null;
    }
}
