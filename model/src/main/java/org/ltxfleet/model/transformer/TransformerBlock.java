package org.ltxfleet.model.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import org.ltxfleet.model.nn.BackwardTape;
import org.ltxfleet.model.nn.Functional;
import org.ltxfleet.model.nn.Module;
import org.ltxfleet.model.nn.Scopes;

/**
 * One video block (docs/ltx-2.3-architecture.md §1.3): modulated self-attention with RoPE, gated;
 * cross-attention to the text (2.3: query modulated by rows 6–7, context by the prompt AdaLN,
 * gated by row 8); modulated, gated feed-forward. The block's {@code scale_shift_table} is added to
 * the per-token AdaLN output; rows 0–5 are shift/scale/gate of attention and feed-forward.
 */
final class TransformerBlock extends Module {

    private static final float EPS = TransformerConfig.NORM_EPS;

    private final int rows;
    private final Attention attn1;
    private final Attention attn2;
    private final FeedForward ff;
    private final Parameter scaleShiftTable;
    private final Parameter promptScaleShiftTable;

    TransformerBlock(TransformerConfig config, LoraSpec lora) {
        this.rows = config.adalnRows();
        this.attn1 = child("attn1", new Attention(config, lora.rank()));
        this.attn2 = child("attn2", new Attention(config, lora.rank()));
        this.ff = child("ff", new FeedForward(config, lora.feedForwardRank()));
        this.scaleShiftTable = parameter("scale_shift_table", new Shape(rows, config.hidden()));
        this.promptScaleShiftTable = config.crossAttentionAdaln()
                ? parameter("prompt_scale_shift_table", new Shape(2, config.hidden())) : null;
    }

    /**
     * @param x tokens {@code [B, T, D]}
     * @param modulation AdaLN output {@code [B, T, rows, D]}
     * @param promptModulation prompt AdaLN output {@code [B, 1, 2, D]} (2.3), else null
     * @param context text features {@code [B, S, D]}
     * @param skipSelfAttention STG's perturbed pass for this block
     * @param tape where a training pass cuts the graph at each attention ({@link BackwardTape})
     */
    NDArray apply(NDArray x, NDArray modulation, NDArray promptModulation, NDArray context, Rope rope,
                  boolean skipSelfAttention, BackwardTape tape) {
        return Scopes.scoped(() -> {
            NDList m = modulation.add(scaleShiftTable.getArray()).split(rows, 2);
            NDArray attnIn = Functional.modulate(Functional.rmsNorm(x, EPS), row(m, 0), row(m, 1));
            // Each attention may cut the graph: what is read after it (the residual) is carried through.
            var self = attn1.apply(attnIn, attnIn, rope, skipSelfAttention, tape, x);
            NDArray afterSelf = self.carried().get(0).add(self.output().mul(row(m, 2)));

            NDArray normed = Functional.rmsNorm(afterSelf, EPS);
            NDArray afterCross;
            if (promptScaleShiftTable != null) {
                NDList kv = promptModulation.add(promptScaleShiftTable.getArray()).split(2, 2);
                NDArray query = Functional.modulate(normed, row(m, 6), row(m, 7));
                NDArray ctx = Functional.modulate(context, row(kv, 0), row(kv, 1));
                var cross = attn2.apply(query, ctx, null, false, tape, afterSelf);
                afterCross = cross.carried().get(0).add(cross.output().mul(row(m, 8)));
            } else {
                var cross = attn2.apply(normed, context, null, false, tape, afterSelf);
                afterCross = cross.carried().get(0).add(cross.output());
            }

            NDArray ffIn = Functional.modulate(Functional.rmsNorm(afterCross, EPS), row(m, 3), row(m, 4));
            return afterCross.add(ff.apply(ffIn).mul(row(m, 5)));
        });
    }

    private static NDArray row(NDList rows, int index) {
        return rows.get(index).squeeze(2);
    }
}
