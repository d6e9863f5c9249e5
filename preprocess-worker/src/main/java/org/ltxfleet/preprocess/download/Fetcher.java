package org.ltxfleet.preprocess.download;

import java.io.IOException;
import java.nio.file.Path;

/** Brings the file a job's URL names to a local path; {@code field} names the input field in errors. */
@FunctionalInterface
public interface Fetcher {
    DownloadedFile download(String url, Path target, String field) throws IOException, InterruptedException;
}
