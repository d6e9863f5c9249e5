package org.ltxfleet.preprocess.dataset;

import org.ltxfleet.model.latent.TextFeatures;
import org.ltxfleet.preprocess.video.ClipWindow;

/**
 * One prepared training sample: a window of frames and its caption.
 *
 * @param clip   the source clip's base name
 * @param index  the window's number within its clip, from 0
 * @param importedCaption the caption's features as the archive brought them, or null to encode {@code caption}
 */
public record Sample(String clip, String sourceFile, int index, ClipWindow window, String caption,
                     TextFeatures importedCaption) {

    /** A name unique in the dataset, for files and logs. */
    public String id() {
        return clip + "_s" + window.scene() + "_w" + index;
    }
}
