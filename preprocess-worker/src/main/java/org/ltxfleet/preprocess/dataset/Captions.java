package org.ltxfleet.preprocess.dataset;

/** How a clip's training caption is made from its text file and the job's trigger phrase. */
public final class Captions {

    private Captions() {
    }

    /**
     * The trigger phrase, a space and the caption (trimmed); the trigger alone when the clip has no
     * caption; the caption alone when there is no trigger phrase.
     */
    public static String of(String triggerPhrase, String caption) {
        String trigger = triggerPhrase == null ? "" : triggerPhrase.trim();
        String text = caption == null ? "" : caption.trim();
        if (trigger.isEmpty()) {
            return text;
        }
        return text.isEmpty() ? trigger : trigger + " " + text;
    }
}
