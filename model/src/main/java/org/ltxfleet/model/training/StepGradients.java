package org.ltxfleet.model.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import org.ltxfleet.model.nn.BackwardTape;
import org.ltxfleet.model.nn.GradMode;
import org.ltxfleet.model.nn.Scopes;
import org.ltxfleet.model.nn.Tensors;
import org.ltxfleet.model.objective.FlowMatching;
import org.ltxfleet.model.transformer.TransformerInput;
import org.ltxfleet.model.transformer.VideoTransformer;
import org.ltxfleet.model.transformer.VideoTransformer.Prologue;

/**
 * One step's loss and gradients: every trainable parameter's gradient accumulates in the
 * parameter, whichever way {@link TrainingMemory} says the step keeps its tensors.
 *
 * <ul>
 *   <li><b>One graph</b>: the forward pass under grad mode, then its backward pass (with a recording
 *       tape when attention is recomputed).</li>
 *   <li><b>Block checkpointing</b>: the prologue runs once under grad mode (recording only if a
 *       parameter before the blocks trains); the blocks run without recording, keeping each block's
 *       input; the output layer and the loss run with a graph and back-propagate to the last block's
 *       output; then from the last block to the first each block runs again from its kept input (a
 *       leaf that requires a gradient) in its own scope, back-propagates the gradient of its output
 *       and hands its input's gradient to the block before; finally the prologue, if it trains.</li>
 * </ul>
 *
 * Thread-confined: grad mode is set on the calling thread.
 */
public final class StepGradients {

    private final TrainingMemory memory;

    public StepGradients(TrainingMemory memory) {
        this.memory = memory;
    }

    public TrainingMemory memory() {
        return memory;
    }

    /**
     * @param loss the draw's loss
     * @param firstBlockInputGradient the loss's gradient at the first block's input, where the step has
     *        it (block checkpointing computes it; one graph does not), else null; the caller closes it
     */
    public record Result(double loss, NDArray firstBlockInputGradient) {
    }

    /** Runs the forward and backward pass of {@code prepared}; parameters' gradients accumulate. */
    public Result compute(VideoTransformer model, KeyframeObjective.Prepared prepared) {
        model.attentionKernel(memory.kernel());
        try (NDScope scope = new NDScope()) {
            return memory.blockCheckpointing() ? checkpointed(model, prepared) : oneGraph(model, prepared);
        }
    }

    private Result oneGraph(VideoTransformer model, KeyframeObjective.Prepared prepared) {
        try (GradMode on = GradMode.on(); BackwardTape tape = memory.tape()) {
            NDArray loss = loss(model.forward(prepared.input(), tape), prepared);
            tape.backward(loss, loss.onesLike());
            return new Result(loss.getFloat(), null);
        }
    }

    private Result checkpointed(VideoTransformer model, KeyframeObjective.Prepared prepared) {
        TransformerInput in = prepared.input();
        Prologue prologue;
        try (GradMode on = GradMode.on()) {
            prologue = model.prologue(in);
        }
        // The blocks read leaves; what reaches them is sent into the prologue's graph at the end.
        Prologue leaves = new Prologue(detached(prologue.tokens()), leaf(prologue.modulation()),
                leaf(prologue.promptModulation()), leaf(prologue.embedded()));

        List<NDArray> inputs = new ArrayList<>();
        NDArray x = leaves.tokens();
        try (GradMode off = GradMode.off()) {
            for (int i = 0; i < model.config().blocks(); i++) {
                inputs.add(x);
                NDArray input = x;
                int index = i;
                x = Tensors.keep(Scopes.scoped(() -> model.block(index, input, leaves, in, BackwardTape.none(memory.kernel()))));
            }
        }

        NDArray gradient;
        double lossValue;
        try (GradMode on = GradMode.on()) {
            NDArray last = leaf(x, true);
            NDArray loss = loss(model.epilogue(last, leaves.embedded()), prepared);
            JniUtils.backward((PtNDArray) loss, (PtNDArray) loss.onesLike(), false, false);
            lossValue = loss.getFloat();
            gradient = Tensors.keep(JniUtils.getGradient((PtNDArray) last));
            x.close();
        }

        for (int i = inputs.size() - 1; i >= 0; i--) {
            NDArray upstream = gradient;
            try (GradMode on = GradMode.on(); NDScope scope = new NDScope(); BackwardTape tape = memory.tape()) {
                NDArray input = leaf(inputs.get(i), true);
                NDArray output = model.block(i, input, leaves, in, tape);
                tape.backward(output, upstream);
                gradient = Tensors.keep(JniUtils.getGradient((PtNDArray) input));
            }
            upstream.close();
            if (i > 0) {
                inputs.get(i).close();
            }
        }
        backPrologue(prologue, leaves, gradient);
        return new Result(lossValue, gradient);
    }

    /** Sends the gradients the blocks left in the prologue's leaves into its graph, if it has one. */
    private static void backPrologue(Prologue prologue, Prologue leaves, NDArray tokensGradient) {
        var roots = new NDList();
        var gradients = new NDList();
        if (GradMode.tracked(prologue.tokens())) {
            roots.add(prologue.tokens());
            gradients.add(tokensGradient);
        }
        NDArray[][] pairs = {
                {prologue.modulation(), leaves.modulation()},
                {prologue.promptModulation(), leaves.promptModulation()},
                {prologue.embedded(), leaves.embedded()}};
        for (NDArray[] pair : pairs) {
            if (pair[0] != null && pair[0] != pair[1]) {
                NDArray g = JniUtils.getGradient((PtNDArray) pair[1]);
                if (g != null) {
                    roots.add(pair[0]);
                    gradients.add(g);
                }
            }
        }
        if (roots.isEmpty()) {
            return;
        }
        NDArray total = BackwardTape.weightedSum(roots, gradients);
        JniUtils.backward((PtNDArray) total, (PtNDArray) total.onesLike(), false, false);
    }

    private static NDArray loss(NDArray prediction, KeyframeObjective.Prepared prepared) {
        return FlowMatching.loss(prediction, prepared.target(), prepared.lossMask());
    }

    /** A leaf standing for {@code x} that requires a gradient when {@code x} does (null stays null). */
    private static NDArray leaf(NDArray x) {
        return x == null ? null : leaf(x, GradMode.tracked(x));
    }

    private static NDArray leaf(NDArray x, boolean requiresGradient) {
        if (!requiresGradient) {
            return x;
        }
        NDArray leaf = x.stopGradient();
        leaf.setRequiresGradient(true);
        return leaf;
    }

    /** {@code x} without its graph: the blocks' forward pass records nothing. */
    private static NDArray detached(NDArray x) {
        return GradMode.tracked(x) ? x.stopGradient() : x;
    }
}
