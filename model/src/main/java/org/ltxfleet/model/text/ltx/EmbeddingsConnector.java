package org.ltxfleet.model.text.ltx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.ltxfleet.model.nn.Functional;
import org.ltxfleet.model.nn.Module;
import org.ltxfleet.model.transformer.Rope;
import org.ltxfleet.model.transformer.RopeTable;

/**
 * LTX's embeddings connector ({@code video_embeddings_connector} / {@code audio_embeddings_connector}):
 * right-padded features whose pads are replaced by tiled {@code learnable_registers}, then
 * {@link ConnectorBlock}s with 1-D RoPE on positions 0…T−1, then an RMS norm without weight. Every
 * position, registers included, is valid context afterwards.
 */
public final class EmbeddingsConnector extends Module {

    private final ConnectorConfig config;
    private final Parameter registers;
    private final List<ConnectorBlock> blocks = new ArrayList<>();

    public EmbeddingsConnector(ConnectorConfig config) {
        this.config = config;
        this.registers = parameter("learnable_registers", new Shape(config.registers(), config.width()));
        for (int i = 0; i < config.blocks(); i++) {
            blocks.add(child("transformer_1d_blocks." + i, new ConnectorBlock(config)));
        }
    }

    /** The input with registers, each block's output and the normalised encoding, all {@code [B, T, C]}. */
    public record Output(NDArray withRegisters, List<NDArray> blockOutputs, NDArray encoding) {
    }

    /**
     * @param x right-padded features {@code [B, T, C]}
     * @param mask the reordered mask {@code [B, T]} (ones then zeros), float32
     */
    public Output apply(NDArray x, NDArray mask) {
        long batch = x.getShape().get(0);
        int tokens = (int) x.getShape().get(1);
        if (tokens % config.registers() != 0) {
            throw new IllegalArgumentException("the sequence length " + tokens + " is not a multiple of the "
                    + config.registers() + " registers");
        }
        // Position t takes register t mod R; a select by the 0/1 mask keeps both sides exact.
        int width = config.width();
        // Start from a copy in the call's manager: ops on the parameter itself would leave the tiled
        // [T, C] registers in the weights' manager after every call.
        NDArray own = registers.getArray().expandDims(0);
        own.attach(x.getManager());
        NDArray tiled = own.broadcast(new Shape(tokens / config.registers(), config.registers(), width))
                .reshape(tokens, width);
        NDArray keep = mask.reshape(batch, tokens, 1);
        NDArray h = x.mul(keep).add(keep.neg().add(1).mul(tiled));
        NDArray withRegisters = h;
        Rope rope = Rope.of(ropeTable(tokens), tokens, x.getManager());
        var outputs = new ArrayList<NDArray>();
        for (ConnectorBlock block : blocks) {
            h = block.apply(h, rope);
            outputs.add(h);
        }
        return new Output(withRegisters, outputs, Functional.rmsNorm(h, ConnectorConfig.NORM_EPS));
    }

    /** The rotary table of positions 0…T−1 ("split" RoPE on one axis). */
    public RopeTable ropeTable(int tokens) {
        double[][] positions = new double[tokens][1];
        for (int t = 0; t < tokens; t++) {
            positions[t][0] = t;
        }
        return RopeTable.of(positions, config.heads(), config.headDim(), ConnectorConfig.ROPE_THETA,
                new double[] {config.ropeMaxPosition()});
    }

    public ConnectorConfig config() {
        return config;
    }
}
