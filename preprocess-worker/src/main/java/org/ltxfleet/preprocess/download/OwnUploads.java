package org.ltxfleet.preprocess.download;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.ltxfleet.common.job.JobFailedException;
import org.ltxfleet.common.s3.ObjectStore;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads a job owner's own uploads (the gateway's {@code /storage/upload}, under
 * {@code uploads/{key_id}/}) straight from the fleet's store instead of over HTTP: the store is
 * often on a private address that the SSRF guard rightly refuses, and a link may have expired by
 * the time a queued job starts. Only the owner's prefix is read this way, so a link to another
 * key's upload, or to any other object, goes through the guarded download like every URL. An
 * upload's link is recognised by the store's own signing of the prefix, for {@code s3.public.endpoint}
 * as the gateway signs it: a worker needs the gateways' value of that setting.
 */
public final class OwnUploads {

    /** What the gateway names uploads: {uuid}/{safe file name}. */
    private static final Pattern UPLOAD_NAME = Pattern.compile("[0-9a-f-]{36}/[A-Za-z0-9._-]{1,200}");

    private OwnUploads() {
    }

    /** A fetcher for one owner's job: its own uploads from the store, anything else through {@code downloader}. */
    public static Fetcher forOwner(String ownerKeyId, ObjectStore store, Downloader downloader) {
        return (url, target, field) -> {
            Optional<String> key = keyOf(url, ownerKeyId, store);
            return key.isPresent() ? read(store, key.get(), target, field, downloader)
                    : downloader.download(url, target, field);
        };
    }

    /** The object key {@code url} links to when it is one of the owner's uploads in this store. */
    static Optional<String> keyOf(String url, String ownerKeyId, ObjectStore store) {
        String prefix = "uploads/" + ownerKeyId + "/";
        String signed = store.downloadUrl(store.location(prefix), Duration.ofMinutes(1));
        String base = withoutQuery(signed);
        String candidate = withoutQuery(url);
        if (!candidate.startsWith(base)) {
            return Optional.empty();
        }
        String name = URLDecoder.decode(candidate.substring(base.length()).replace("+", "%2B"), StandardCharsets.UTF_8);
        if (!UPLOAD_NAME.matcher(name).matches() || name.endsWith("/.") || name.endsWith("/..")) {
            return Optional.empty();
        }
        return Optional.of(prefix + name);
    }

    private static String withoutQuery(String url) {
        int cut = url.length();
        for (char c : new char[] {'?', '#'}) {
            int at = url.indexOf(c);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        return url.substring(0, cut);
    }

    private static DownloadedFile read(ObjectStore store, String key, Path target, String field,
                                       Downloader downloader) throws IOException {
        long maxBytes = downloader.maxBytes();
        long size;
        try {
            size = store.size(key);
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            throw JobFailedException.invalidField("download_failed", field, "Could not download " + field
                    + ": the uploaded file no longer exists (expired, deleted or never completed)");
        }
        if (size > maxBytes) {
            throw JobFailedException.invalidField("download_failed", field, "Could not download " + field
                    + ": the uploaded file is " + size + " bytes, more than the limit of " + maxBytes);
        }
        // One pass, as a download: hashed while it is written.
        try (InputStream body = store.stream(key)) {
            return downloader.save(body, target, field);
        }
    }
}
