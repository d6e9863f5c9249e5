package org.ltxfleet.preprocess.archive;

/**
 * One training clip of an archive.
 *
 * @param name         the clip's base name (unique in the archive), used in logs and outputs
 * @param videoEntry   the zip entry of the video
 * @param captionEntry the zip entry of {@code name.txt} beside it, or null
 */
public record ClipEntry(String name, String videoEntry, String captionEntry) {
}
