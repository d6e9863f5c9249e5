package org.ltxfleet.preprocess.download;

import java.nio.file.Path;

/** A downloaded file with the hex sha256 of its bytes, computed while it streamed in. */
public record DownloadedFile(Path path, String sha256, long bytes) {
}
