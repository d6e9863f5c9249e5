package org.ltxfleet.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a forward pass into pieces that are back-propagated one after the other, so that attention
 * can be differentiated by {@link AttentionKernel#backward} (recomputing its probabilities chunk by
 * chunk) instead of by autograd, which would keep every chunk's T × S probabilities until the
 * backward pass. DJL has no custom autograd functions; this does the same by hand:
 *
 * <ul>
 *   <li>{@link #cut} replaces tensors by detached leaves that require a gradient: the ops after the
 *       cut see only the leaves, so their graph stops there;</li>
 *   <li>{@link #attention} computes the attention without recording and hands out its output as
 *       such a leaf; the queries, keys and values stay the roots of the graph before it;</li>
 *   <li>{@link #backward} back-propagates from the final output, then walks the cuts from the last
 *       to the first: a cut's leaves have their whole gradient by then (everything that read them
 *       came after), so one backward call per cut sends it into the graph before. Roots of one cut
 *       are back-propagated together (through {@code Σ sum(root ⊙ gradient)}), so no op's backward
 *       runs twice.</li>
 * </ul>
 *
 * <p>No backward call keeps its graph: each frees what it saved as it goes. Pieces share only ops that
 * save no tensors (a block's AdaLN rows: {@code add}, {@code split}, {@code squeeze}), which PyTorch
 * runs again after their graph was released.
 *
 * <p>Gradients equal autograd's through the whole graph (tests compare them). {@link #NONE} records
 * nothing: cuts return their inputs and attention runs inline, the plain single-graph path. The
 * tape owns the tensors it records and closes them with itself.
 */
public final class BackwardTape implements AutoCloseable {

    private final AttentionKernel kernel;
    private final boolean recording;
    private final List<Cut> cuts = new ArrayList<>();
    private final List<NDArray> owned = new ArrayList<>();

    private BackwardTape(AttentionKernel kernel, boolean recording) {
        this.kernel = kernel;
        this.recording = recording;
    }

    /** A tape that records nothing: one graph, attention differentiated by autograd. */
    public static BackwardTape none(AttentionKernel kernel) {
        return new BackwardTape(kernel, false);
    }

    /** A tape that cuts the graph and differentiates attention by recomputation. */
    public static BackwardTape recording(AttentionKernel kernel) {
        return new BackwardTape(kernel, true);
    }

    public boolean recording() {
        return recording;
    }

    public AttentionKernel kernel() {
        return kernel;
    }

    /** What an attention cut hands to the ops after it. */
    public record Attended(NDArray output, NDList carried) {
    }

    /**
     * Leaves standing for {@code roots} (null entries stay null, tensors without a gradient stay as
     * they are); the ops after the cut must use only these.
     */
    public NDList cut(NDArray... roots) {
        if (!recording) {
            return new NDList(roots);
        }
        var cut = new Cut(null, null, null, null);
        NDList leaves = cut.carry(roots);
        cuts.add(cut);
        return leaves;
    }

    /**
     * {@code softmax(Qs·Kᵀ)·V} ({@link AttentionKernel}) and leaves for {@code carried}: tensors of the
     * graph before the attention that the ops after it read too (the gate's input, the residual).
     */
    public Attended attention(NDArray scaledQueries, NDArray keysTransposed, NDArray values, NDArray... carried) {
        if (!recording) {
            return new Attended(kernel.forward(scaledQueries, keysTransposed, values), new NDList(carried));
        }
        NDArray output;
        try (GradMode off = GradMode.off()) {
            output = own(kernel.forward(scaledQueries, keysTransposed, values));
        }
        var cut = new Cut(own(scaledQueries), own(keysTransposed), own(values), output);
        NDList leaves = cut.carry(carried);
        NDArray outputLeaf = own(output.stopGradient());
        outputLeaf.setRequiresGradient(true);
        cut.outputLeaf = outputLeaf;
        cuts.add(cut);
        return new Attended(outputLeaf, leaves);
    }

    /**
     * Back-propagates {@code gradient} from {@code root} (the forward pass's output) and then every
     * cut, last first; gradients accumulate in the parameters and in the leaves the caller made.
     */
    public void backward(NDArray root, NDArray gradient) {
        JniUtils.backward((PtNDArray) root, (PtNDArray) gradient, false, false);
        for (int i = cuts.size() - 1; i >= 0; i--) {
            try (NDScope scope = new NDScope()) {
                cuts.get(i).backward(kernel);
            }
            cuts.get(i).release();
        }
    }

    /**
     * {@code Σ sum(root ⊙ gradient)} with a graph to the roots: its backward pass sends each gradient
     * into its root. Each product is freed at once (the sum does not save it; the product saves the
     * gradient, which the caller holds anyway).
     */
    public static NDArray weightedSum(NDList roots, NDList gradients) {
        NDArray total = null;
        try (GradMode on = GradMode.on()) {
            for (int i = 0; i < roots.size(); i++) {
                NDArray term;
                try (NDArray product = roots.get(i).mul(gradients.get(i))) {
                    term = product.sum();
                }
                total = total == null ? term : total.add(term);
            }
        }
        return total;
    }

    private NDArray own(NDArray array) {
        Tensors.keep(array);
        owned.add(array);
        return array;
    }

    @Override
    public void close() {
        owned.forEach(NDArray::close);
        owned.clear();
        cuts.clear();
    }

    /** One cut: carried roots with their leaves, and an attention's inputs and output if it is one. */
    private final class Cut {

        private final NDArray scaledQueries;
        private final NDArray keysTransposed;
        private final NDArray values;
        private final NDArray output;
        private NDArray outputLeaf;
        private final List<NDArray[]> links = new ArrayList<>();

        private Cut(NDArray scaledQueries, NDArray keysTransposed, NDArray values, NDArray output) {
            this.scaledQueries = scaledQueries;
            this.keysTransposed = keysTransposed;
            this.values = values;
            this.output = output;
        }

        private NDList carry(NDArray... roots) {
            var leaves = new NDList();
            for (NDArray root : roots) {
                if (root == null || !GradMode.tracked(root)) {
                    leaves.add(root);
                    continue;
                }
                NDArray leaf = own(root.stopGradient());
                leaf.setRequiresGradient(true);
                // A handle of our own (a view of the root): the caller's may belong to a scope that ends first.
                links.add(new NDArray[] {own(root.reshape(root.getShape())), leaf});
                leaves.add(leaf);
            }
            return leaves;
        }

        /** Sends the gradients gathered in this cut's leaves into the graph before it. */
        private void backward(AttentionKernel kernel) {
            var roots = new NDList();
            var gradients = new NDList();
            if (output != null) {
                NDArray dOutput = JniUtils.getGradient((PtNDArray) outputLeaf);
                if (dOutput != null) {
                    NDList inputs = new NDList(scaledQueries, keysTransposed, values);
                    NDList d = kernel.backward(scaledQueries, keysTransposed, values, dOutput);
                    for (int i = 0; i < inputs.size(); i++) {
                        if (GradMode.tracked(inputs.get(i))) {
                            roots.add(inputs.get(i));
                            gradients.add(d.get(i));
                        }
                    }
                }
            }
            for (NDArray[] link : links) {
                NDArray gradient = JniUtils.getGradient((PtNDArray) link[1]);
                if (gradient != null) {
                    roots.add(link[0]);
                    gradients.add(gradient);
                }
            }
            if (roots.size() == 1) {
                JniUtils.backward((PtNDArray) roots.head(), (PtNDArray) gradients.head(), false, false);
            } else if (!roots.isEmpty()) {
                NDArray total = weightedSum(roots, gradients);
                JniUtils.backward((PtNDArray) total, (PtNDArray) total.onesLike(), false, false);
            }
        }

        /**
         * Frees what the cut holds once its gradients went into the graph before it: the attention's
         * inputs and output, and the leaves with the gradients gathered in them.
         */
        private void release() {
            for (NDArray array : new NDArray[] {scaledQueries, keysTransposed, values, output, outputLeaf}) {
                if (array != null) {
                    array.close();
                }
            }
            for (NDArray[] link : links) {
                link[0].close();
                link[1].close();
            }
        }
    }
}
