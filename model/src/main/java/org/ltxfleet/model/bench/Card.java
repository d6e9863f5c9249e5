package org.ltxfleet.model.bench;

/**
 * A GPU's memory as the driver reports it in total ({@code nvidia-smi}'s memory.total); what a
 * process can allocate is less, which {@link StepMemory}'s margin stands for.
 */
public record Card(String name, long bytes) {

    private static final long MIB = 1L << 20;

    /** H100 SXM, 80 GB: 81,559 MiB. */
    public static final Card H100_80GB = new Card("H100 80 GB", 81_559 * MIB);
    /** H200, 141 GB: 143,771 MiB. */
    public static final Card H200_141GB = new Card("H200 141 GB", 143_771 * MIB);
}
