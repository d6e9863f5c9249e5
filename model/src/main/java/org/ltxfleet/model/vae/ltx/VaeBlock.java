package org.ltxfleet.model.vae.ltx;

/**
 * One entry of a checkpoint's {@code encoder_blocks} / {@code decoder_blocks}: a stack of
 * {@code layers} residual blocks ({@code res_x}), or a resampler that changes time and/or space
 * by 2 and the channels by {@code multiplier} ({@code compress_space_res}, {@code compress_time_res},
 * {@code compress_all_res} in the encoder; {@code compress_space}, {@code compress_time},
 * {@code compress_all} in the decoder, where {@code residual} adds the rearranged input back).
 */
public record VaeBlock(String type, int layers, int multiplier, boolean residual) {

    public static final String RES_X = "res_x";

    public VaeBlock {
        if (!type.equals(RES_X)) {
            stride(type); // validates the name
        }
    }

    public static VaeBlock res(int layers) {
        return new VaeBlock(RES_X, layers, 1, false);
    }

    public static VaeBlock resample(String type, int multiplier) {
        return new VaeBlock(type, 0, multiplier, false);
    }

    public boolean isResStack() {
        return type.equals(RES_X);
    }

    /** The resampling stride as (time, height, width). */
    public int[] stride() {
        return stride(type);
    }

    /** Elements one output position gathers: time × height × width stride. */
    public int strideVolume() {
        int[] s = stride();
        return s[0] * s[1] * s[2];
    }

    private static int[] stride(String type) {
        return switch (type.replaceFirst("_res$", "")) {
            case "compress_space" -> new int[] {1, 2, 2};
            case "compress_time" -> new int[] {2, 1, 1};
            case "compress_all" -> new int[] {2, 2, 2};
            default -> throw new IllegalArgumentException("unsupported VAE block type '" + type
                    + "' (the LTX-2 VAE uses res_x and compress_{space,time,all}[_res])");
        };
    }
}
