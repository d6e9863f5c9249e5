package org.ltxfleet.model.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident memory (Linux {@code /proc/self/status}); native tensors included. The
 * peak ({@code VmHWM}) can be reset to the current size, so that one step's peak is read alone.
 */
final class ProcessMemory {

    private ProcessMemory() {
    }

    static long residentBytes() {
        return field("VmRSS:");
    }

    /** The largest resident size since the process started or {@link #resetPeak} last ran. */
    static long peakBytes() {
        return field("VmHWM:");
    }

    /** Sets the peak to the current resident size ({@code 5} to {@code /proc/self/clear_refs}). */
    static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
