package org.ltxfleet.preprocess.video;

import java.nio.file.Path;

/**
 * A clip FFmpeg cannot read: corrupt, truncated, no video stream. The clip is skipped, not the job.
 * FFmpeg's messages quote the file's path, a worker's scratch path the user never chose: the
 * message and {@link #reason} name the file only, {@link #describe} by the name the user gave it,
 * in words rather than JavaCV's function names and hints ({@link FfmpegFailureWords}).
 */
public final class UndecodableClipException extends Exception {

    private final String fileName;
    private final String reason;

    /** The clip at {@code file} could not be decoded. */
    public UndecodableClipException(Path file, Throwable cause) {
        super(cause);
        this.fileName = file.getFileName().toString();
        this.reason = FfmpegFailureWords.of(withoutDirectories(String.valueOf(cause.getMessage()), file));
    }

    @Override
    public String getMessage() {
        return describe(fileName);
    }

    /** Why FFmpeg could not read the file, naming it by its file name only. */
    public String reason() {
        return reason;
    }

    /** "cannot decode NAME: reason", naming the file as the user knows it (e.g. its archive entry). */
    public String describe(String userName) {
        return "cannot decode " + userName + ": " + reason.replace(fileName, userName);
    }

    private static String withoutDirectories(String message, Path file) {
        String name = file.getFileName().toString();
        String result = message.replace(file.toAbsolutePath().toString(), name).replace(file.toString(), name);
        Path directory = file.toAbsolutePath().getParent();
        return directory == null ? result : result.replace(directory + "/", "").replace(directory.toString(), "");
    }
}
