package org.ltxfleet.preprocess.video;

import java.nio.file.Path;

/** A clip FFmpeg cannot read: corrupt, truncated, no video stream. The clip is skipped, not the job. */
public final class UndecodableClipException extends Exception {

    /** The clip at {@code file} could not be decoded. */
    public UndecodableClipException(Path file, Throwable cause) {
        super("cannot decode " + file.getFileName() + ": " + cause.getMessage(), cause);
    }
}
