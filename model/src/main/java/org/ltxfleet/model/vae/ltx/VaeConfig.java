package org.ltxfleet.model.vae.ltx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.ltxfleet.common.json.Json;

/**
 * The architecture of LTX's causal video VAE, as the checkpoint's {@code config.vae} metadata
 * describes it. Widths follow from the blocks: the encoder starts at {@code latentChannels} after
 * its patch projection and multiplies at each {@code compress_*_res}; the decoder starts at
 * {@code decoderBaseChannels} × the product of its resamplers' multipliers and divides on the way up.
 */
public record VaeConfig(String name, List<VaeBlock> encoderBlocks, List<VaeBlock> decoderBlocks,
                        int latentChannels, int decoderBaseChannels, String latentLogVar, boolean causalDecoder) {

    /** Pixels per side of the patch folded into channels before the first convolution. */
    public static final int PATCH = 4;
    public static final int RGB = 3;

    public VaeConfig {
        encoderBlocks = List.copyOf(encoderBlocks);
        decoderBlocks = List.copyOf(decoderBlocks);
        encoderOutChannels(latentLogVar, latentChannels); // validates
    }

    /** LTX-2.3's VAE, from the {@code config.vae} of its checkpoint. */
    public static VaeConfig ltx23() {
        return new VaeConfig("ltx-2.3-vae",
                List.of(VaeBlock.res(4), VaeBlock.resample("compress_space_res", 2), VaeBlock.res(6),
                        VaeBlock.resample("compress_time_res", 2), VaeBlock.res(4),
                        VaeBlock.resample("compress_all_res", 2), VaeBlock.res(2),
                        VaeBlock.resample("compress_all_res", 1), VaeBlock.res(2)),
                List.of(VaeBlock.res(4), VaeBlock.resample("compress_space", 2), VaeBlock.res(6),
                        VaeBlock.resample("compress_time", 2), VaeBlock.res(4),
                        VaeBlock.resample("compress_all", 1), VaeBlock.res(2),
                        VaeBlock.resample("compress_all", 2), VaeBlock.res(2)),
                128, 128, "uniform", false);
    }

    /**
     * Reads the {@code vae} section of a checkpoint's {@code config} metadata. Variants this
     * implementation does not compute (timestep-conditioned decoders, padding other than zeros,
     * group norm) are refused by name rather than decoded wrongly.
     */
    public static VaeConfig fromCheckpointMetadata(String name, String configJson) {
        JsonNode vae = Json.readTree(configJson.getBytes(StandardCharsets.UTF_8)).path("vae");
        if (vae.isMissingNode()) {
            throw new IllegalArgumentException("the checkpoint's config has no 'vae' section");
        }
        require(vae, "dims", "3");
        require(vae, "patch_size", String.valueOf(PATCH));
        require(vae, "norm_layer", "pixel_norm");
        for (String padding : List.of("spatial_padding_mode", "encoder_spatial_padding_mode",
                "decoder_spatial_padding_mode")) {
            require(vae, padding, "zeros");
        }
        require(vae, "timestep_conditioning", "false");
        return new VaeConfig(name, blocks(vae.path("encoder_blocks")), blocks(vae.path("decoder_blocks")),
                vae.path("latent_channels").asInt(128), vae.path("decoder_base_channels").asInt(128),
                vae.path("latent_log_var").asText("uniform"), vae.path("causal_decoder").asBoolean(false));
    }

    /** This config as a checkpoint's {@code config.vae} metadata section, as {@link #fromCheckpointMetadata} reads it. */
    public ObjectNode toCheckpointMetadata() {
        ObjectNode vae = Json.object();
        vae.put("dims", 3).put("patch_size", PATCH).put("norm_layer", "pixel_norm").put("latent_channels", latentChannels)
                .put("decoder_base_channels", decoderBaseChannels).put("latent_log_var", latentLogVar)
                .put("causal_decoder", causalDecoder).put("timestep_conditioning", false)
                .put("spatial_padding_mode", "zeros");
        writeBlocks(vae.putArray("encoder_blocks"), encoderBlocks);
        writeBlocks(vae.putArray("decoder_blocks"), decoderBlocks);
        return vae;
    }

    private static void writeBlocks(ArrayNode list, List<VaeBlock> blocks) {
        for (VaeBlock block : blocks) {
            ArrayNode entry = list.addArray().add(block.type());
            ObjectNode params = entry.addObject();
            if (block.isResStack()) {
                params.put("num_layers", block.layers());
            } else {
                params.put("multiplier", block.multiplier()).put("residual", block.residual());
            }
        }
    }

    /** The same blocks at other widths (tests run the real layout at small widths). */
    public VaeConfig withWidths(int latent, int decoderBase) {
        return new VaeConfig(name + "@" + latent + "/" + decoderBase, encoderBlocks, decoderBlocks, latent, decoderBase,
                latentLogVar, causalDecoder);
    }

    /** Channels of the encoder's last convolution: the means plus LTX's log-variance head. */
    public int encoderOutChannels() {
        return encoderOutChannels(latentLogVar, latentChannels);
    }

    /** The decoder's widest point, right after its first convolution. */
    public int decoderBottleneckChannels() {
        int channels = decoderBaseChannels;
        for (VaeBlock block : decoderBlocks) {
            channels *= block.isResStack() ? 1 : block.multiplier();
        }
        return channels;
    }

    private static int encoderOutChannels(String logVar, int latent) {
        return switch (logVar) {
            case "uniform", "constant" -> latent + 1;
            case "per_channel" -> 2 * latent;
            case "none" -> latent;
            default -> throw new IllegalArgumentException("unknown latent_log_var '" + logVar + "'");
        };
    }

    private static List<VaeBlock> blocks(JsonNode list) {
        var blocks = new ArrayList<VaeBlock>();
        for (JsonNode entry : list) {
            String type = entry.path(0).asText();
            JsonNode params = entry.path(1);
            if (params.path("inject_noise").asBoolean(false)) {
                throw new IllegalArgumentException("VAE blocks with inject_noise are not supported");
            }
            blocks.add(type.equals(VaeBlock.RES_X) ? VaeBlock.res(params.path("num_layers").asInt(1))
                    : new VaeBlock(type, 0, params.path("multiplier").asInt(2), params.path("residual").asBoolean(false)));
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("the VAE config lists no blocks");
        }
        return blocks;
    }

    private static void require(JsonNode vae, String key, String supported) {
        JsonNode value = vae.path(key);
        if (!value.isMissingNode() && !value.asText().equals(supported)) {
            throw new IllegalArgumentException("VAE " + key + " = " + value.asText() + " is not supported (only "
                    + supported + ", as in LTX-2.3)");
        }
    }
}
