package org.ltxfleet.infra.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** Shows a job's status stream: new log lines as they come, and one progress bar per stage. */
final class ProgressLine {

    private static final int WIDTH = 30;
    private String lastPhase = "";
    private String lastBar = "";
    private boolean barVisible;
    /** On a terminal the bar redraws in place; in a log it is a line per change. */
    private final boolean terminal = System.console() != null;

    /** Prints what is new in one status event. */
    void show(JsonNode status) {
        String phase = status.path("status").asText();
        if (!phase.equals(lastPhase)) {
            clearBar();
            System.out.println("    status " + phase + (status.has("queue_position")
                    ? " (queue position " + status.get("queue_position").asInt() + ")" : ""));
            lastPhase = phase;
        }
        for (JsonNode log : status.path("logs")) {
            clearBar();
            System.out.println("    [" + log.path("level").asText() + "] " + log.path("message").asText());
        }
        JsonNode progress = status.path("progress");
        if (progress.isObject() && progress.path("total").asLong() > 0) {
            String bar = bar(progress);
            if (bar.equals(lastBar) && (barVisible || !terminal)) {
                return;
            }
            lastBar = bar;
            if (terminal) {
                System.out.print("\r" + bar);
                System.out.flush();
                barVisible = true;
            } else {
                System.out.println(bar);
            }
        }
    }

    /** Ends the bar's line. */
    void finish() {
        clearBar();
    }

    static String bar(JsonNode progress) {
        long done = progress.path("done").asLong();
        long total = progress.path("total").asLong();
        int filled = (int) Math.min(WIDTH, WIDTH * done / Math.max(1, total));
        var line = new StringBuilder(String.format("    %-10s [", progress.path("stage").asText()));
        line.append("#".repeat(filled)).append(".".repeat(WIDTH - filled));
        line.append(String.format("] %d/%d", done, total));
        if (progress.hasNonNull("loss")) {
            line.append(String.format(" loss %.4f", progress.get("loss").asDouble()));
        }
        if (progress.hasNonNull("eta_seconds")) {
            line.append(String.format(" ETA %.0fs", progress.get("eta_seconds").asDouble()));
        }
        return line.toString();
    }

    private void clearBar() {
        if (barVisible) {
            System.out.print("\r\033[K");
            barVisible = false;
        }
    }
}
