package org.ltxfleet.model.nn;

import java.util.Locale;

/**
 * What storing a base cost: how many values went into 16 bits and how many of those are not what
 * the checkpoint holds (rounded, or flushed to zero because their row spans more than fp16's range).
 * Mutable while a load runs; one load at a time.
 */
public final class StorageReport {

    private long tensors;
    private long values;
    private long halfValues;
    private long inexact;
    private long flushedToZero;
    private long nonFinite;
    private double worstRelativeError;
    private String worstTensor;

    void counted(long count, boolean half) {
        tensors++;
        values += count;
        if (half) {
            halfValues += count;
        }
    }

    void nonFinite() {
        nonFinite++;
    }

    void inexact(String tensor, float stored, float original) {
        inexact++;
        if (stored == 0) {
            flushedToZero++;
        }
        double error = Math.abs((double) stored - original) / Math.abs((double) original);
        if (error > worstRelativeError) {
            worstRelativeError = error;
            worstTensor = tensor;
        }
    }

    public long tensors() {
        return tensors;
    }

    public long values() {
        return values;
    }

    public long halfValues() {
        return halfValues;
    }

    /** Values that 16-bit storage changed (flushed ones included). */
    public long inexact() {
        return inexact;
    }

    public long flushedToZero() {
        return flushedToZero;
    }

    /** NaN or infinite values in the checkpoint (kept as they are). */
    public long nonFiniteValues() {
        return nonFinite;
    }

    /** The largest |stored − original| / |original| over the inexact values (0 when all are exact). */
    public double worstRelativeError() {
        return worstRelativeError;
    }

    /** The tensor holding the worst value, or null. */
    public String worstTensor() {
        return worstTensor;
    }

    /** One line for logs and the CLI. */
    public String summary() {
        if (halfValues == 0) {
            return String.format(Locale.ROOT, "%d tensors, %,d values, all float32", tensors, values);
        }
        return String.format(Locale.ROOT, "%d tensors, %,d values, %,d of them in 16 bits: %,d not exact (%,d flushed to "
                        + "zero, worst relative error %.3g in %s), %,d not finite",
                tensors, values, halfValues, inexact, flushedToZero, worstRelativeError,
                worstTensor == null ? "none" : worstTensor, nonFinite);
    }
}
