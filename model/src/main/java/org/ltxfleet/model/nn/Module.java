package org.ltxfleet.model.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A node of the LTX model tree. DJL's block tree gives us parameter bookkeeping and names
 * ({@link CheckpointNames}); the forward passes are typed methods on each module (attention needs a
 * context, RoPE tables and modulation, which DJL's one-list signature would hide), so DJL's
 * {@code forward} is not used. Parameters carry fixed shapes and are filled by
 * {@link ParameterInit} or a weight loader.
 */
public abstract class Module extends AbstractBlock {

    private static final byte VERSION = 1;

    protected Module() {
        super(VERSION);
    }

    /** Declares a parameter of a fixed shape, named as in the checkpoint. */
    protected final Parameter parameter(String name, Shape shape) {
        return addParameter(Parameter.builder().setName(name)
                .setType(name.equals("bias") ? Parameter.Type.BIAS : Parameter.Type.WEIGHT)
                .optShape(shape).build());
    }

    /** Adds a child under its checkpoint name (dots allowed, e.g. {@code ff.net.0.proj}). */
    protected final <B extends Block> B child(String name, B block) {
        return addChildBlock(name, block);
    }

    @Override
    protected final NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                           PairList<String, Object> params) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has a typed forward method");
    }

    @Override
    public final Shape[] getOutputShapes(Shape[] inputs) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has a typed forward method");
    }

    @Override
    protected final void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        throw new UnsupportedOperationException("initialise with ParameterInit");
    }
}
