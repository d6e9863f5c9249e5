package org.ltxfleet.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

/**
 * A linear layer {@code y = x·Wᵀ + b} with an optional low-rank adapter {@code y += (x·Aᵀ)·Bᵀ}
 * (LoRA). Parameters are named as in the LTX checkpoint ({@code weight [out, in]}, {@code bias
 * [out]}) and in LTX/ComfyUI LoRA files ({@code lora_A [rank, in]}, {@code lora_B [out, rank]}).
 * The adapter's scale is 1 (alpha = rank): ltx-core fuses {@code W + B·A} and ignores alpha, so a
 * layer with another scale would behave differently once exported. B starts at zero, so an adapted
 * model equals its base until the first update.
 *
 * <p>A frozen weight may be stored as FLOAT16 rows with a power-of-two scale each
 * ({@link WeightStorage#FLOAT16}); it is cast to float32 for each use and the cast is released at
 * once (autograd keeps it only while a backward pass needs it).
 */
public final class LoraLinear extends AbstractBlock implements RowScaledWeight {

    private static final byte VERSION = 1;

    private final long in;
    private final long out;
    private final int rank;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter loraA;
    private final Parameter loraB;
    /** {@code [out, 1]} powers of two when the weight is stored as FLOAT16, else null. */
    private NDArray rowScale;

    private LoraLinear(long in, long out, boolean withBias, int rank) {
        super(VERSION);
        this.in = in;
        this.out = out;
        this.rank = rank;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, in)).optInitializer(new XavierInitializer()).build());
        this.bias = withBias ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(out)).build()) : null;
        if (rank > 0) {
            // A small and random, B zero: the product starts at 0 and its gradient at B is not.
            this.loraA = addParameter(Parameter.builder().setName("lora_A").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(rank, in)).optInitializer(new NormalInitializer(1f / rank)).build());
            this.loraB = addParameter(Parameter.builder().setName("lora_B").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(out, rank)).optInitializer((m, s, t) -> m.zeros(s, t)).build());
        } else {
            this.loraA = null;
            this.loraB = null;
        }
    }

    /** A layer from {@code in} to {@code out} features, with a bias. */
    public static LoraLinear of(long in, long out) {
        return new LoraLinear(in, out, true, 0);
    }

    /** A layer from {@code in} to {@code out} features without a bias (Gemma's projections have none). */
    public static LoraLinear withoutBias(long in, long out) {
        return new LoraLinear(in, out, false, 0);
    }

    /** A layer with an adapter when {@code rank > 0}, a plain one otherwise. */
    public static LoraLinear withRank(long in, long out, int rank) {
        return new LoraLinear(in, out, true, rank);
    }

    /** A layer with an adapter of {@code rank}. */
    public static LoraLinear adapted(long in, long out, boolean withBias, int rank) {
        if (rank <= 0) {
            throw new IllegalArgumentException("a LoRA rank must be positive, got " + rank);
        }
        return new LoraLinear(in, out, withBias, rank);
    }

    /** Whether the layer has an adapter. */
    public boolean adapted() {
        return rank > 0;
    }

    /** The adapter's rank (0 without one). */
    public int rank() {
        return rank;
    }

    @Override
    public Parameter weight() {
        return weight;
    }

    @Override
    public void storeRowScaled(NDArray half, NDArray scale) {
        ParameterUpload.install(weight, half);
        weight.freeze(true);
        if (rowScale != null) {
            rowScale.close();
        }
        rowScale = scale;
    }

    /** The weight as float32 {@code [out, in]}: the parameter itself, or a cast of its 16-bit rows the caller closes. */
    public NDArray weightFloat32() {
        NDArray stored = weight.getArray();
        if (rowScale == null) {
            return stored;
        }
        NDArray cast = stored.toType(DataType.FLOAT32, true);
        return cast.muli(rowScale);
    }

    /** Whether the weight is kept in 16 bits. */
    public boolean rowScaled() {
        return rowScale != null;
    }

    /** The layer applied to {@code x [..., in]}, adapter included; its temporaries are freed on return. */
    public NDArray apply(NDArray x) {
        return Scopes.scoped(() -> {
            NDArray w = weightFloat32();
            NDArray y = Functional.linear(x, w, bias == null ? null : bias.getArray());
            if (rank > 0) {
                NDArray down = Functional.linear(x, loraA.getArray(), null);
                y = y.add(Functional.linear(down, loraB.getArray(), null));
            }
            return y;
        });
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(apply(inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape input = inputs[0];
        if (input.get(input.dimension() - 1) != in) {
            throw new IllegalArgumentException("expected inputs with " + in + " features, got " + input);
        }
        return new Shape[] {input.slice(0, input.dimension() - 1).add(out)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
