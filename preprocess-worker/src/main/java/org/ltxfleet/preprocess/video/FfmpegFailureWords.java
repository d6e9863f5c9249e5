package org.ltxfleet.preprocess.video;

import java.util.regex.Pattern;

/**
 * JavaCV's exceptions read "avformat_open_input() error -1094995529: Could not open input … (Has
 * setFormat() been called?) (For more details, make sure FFmpegLogCallback.set() has been called.)":
 * a function name, an error number and hints to programmers. A job's logs and result show why a
 * clip was skipped, so this keeps FFmpeg's own sentence and says in words what the failing call means.
 */
final class FfmpegFailureWords {

    /** "name() error -123: " at the start of the message. */
    private static final Pattern CALL = Pattern.compile("^\\s*(\\w+)\\(\\) error -?\\d+:?\\s*");
    /** A parenthesised hint that names a function: "(Has setFormat() been called?)". */
    private static final Pattern HINT = Pattern.compile("\\s*\\([^()]*\\w\\(\\)[^()]*\\)");
    /** Any other "name()" left in the text. */
    private static final Pattern FUNCTION = Pattern.compile("\\b\\w+\\(\\)");

    private FfmpegFailureWords() {
    }

    static String of(String message) {
        var call = CALL.matcher(message);
        boolean named = call.find();
        String function = named ? call.group(1) : "";
        String said = named ? message.substring(call.end()) : message;
        String rest = FUNCTION.matcher(HINT.matcher(said).replaceAll("")).replaceAll("FFmpeg").strip();
        String meaning = meaning(function);
        if (meaning.isEmpty()) {
            return rest.isEmpty() ? "FFmpeg could not read it" : rest;
        }
        return rest.isEmpty() ? meaning : meaning + " (" + trimStop(rest) + ")";
    }

    private static String meaning(String function) {
        return switch (function) {
            case "avformat_open_input" -> "not a video file FFmpeg can open: unknown format or a damaged header";
            case "avformat_find_stream_info" -> "its streams cannot be read: the file is truncated or damaged";
            case "avcodec_open2", "avcodec_find_decoder" -> "its video codec cannot be decoded";
            case "av_read_frame", "avcodec_send_packet", "avcodec_receive_frame" ->
                    "its frames cannot be decoded: the file is damaged";
            default -> "";
        };
    }

    private static String trimStop(String text) {
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }
}
