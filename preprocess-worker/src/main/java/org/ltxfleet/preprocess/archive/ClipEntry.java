package org.ltxfleet.preprocess.archive;

/**
 * One training clip of an archive.
 *
 * @param name         the clip's base name (unique in the archive), used in logs and outputs
 * @param videoEntry   the zip entry of the video
 * @param captionEntry the zip entry of {@code name.txt} beside it, or null
 * @param featuresEntry the zip entry of {@code name.safetensors} beside it (its caption encoded
 *                      elsewhere), or null
 */
public record ClipEntry(String name, String videoEntry, String captionEntry, String featuresEntry) {

    /** A clip without imported caption features. */
    public ClipEntry(String name, String videoEntry, String captionEntry) {
        this(name, videoEntry, captionEntry, null);
    }
}
