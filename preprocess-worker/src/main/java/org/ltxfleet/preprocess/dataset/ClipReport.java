package org.ltxfleet.preprocess.dataset;

import java.util.List;
import org.ltxfleet.preprocess.video.WindowPlanner;

/**
 * What became of one clip of the archive.
 *
 * @param windows how many samples it gave (0 when skipped)
 * @param dropped its scenes that gave no sample, with why
 * @param error   why the whole clip was skipped (undecodable), else null
 */
public record ClipReport(String clip, String sourceFile, double seconds, int scenes, int windows,
                         List<WindowPlanner.Dropped> dropped, String error) {
}
