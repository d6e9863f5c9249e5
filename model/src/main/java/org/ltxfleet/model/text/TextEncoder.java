package org.ltxfleet.model.text;

import org.ltxfleet.model.latent.TextFeatures;

/** Turns a prompt into the features the transformer's cross-attention reads. */
public interface TextEncoder {

    /** Name and version; part of the dataset cache key. */
    String id();

    /** Width of every feature row: the transformer's context width. */
    int width();

    TextFeatures encode(String prompt);

    /** How the weights are held, for the worker's start-up log: what 16-bit storage changed, if used. */
    default String storageSummary() {
        return "float32";
    }
}
