package org.ltxfleet.model.text.gemma;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import org.ltxfleet.model.nn.Module;
import org.ltxfleet.model.nn.ParameterUpload;
import org.ltxfleet.model.nn.RowScaledWeight;

/**
 * {@code embed_tokens}: row lookup scaled by sqrt(hidden) (Gemma3TextScaledWordEmbedding); pads are
 * looked up too. The table (a billion values in Gemma-3 12B) may be kept as FLOAT16 rows with a
 * power-of-two scale each; only the rows looked up are cast to float32.
 */
final class TokenEmbedding extends Module implements RowScaledWeight {

    private final Parameter weight;
    private final float scale;
    private NDArray rowScale;

    TokenEmbedding(Gemma3Config config) {
        this.weight = parameter("weight", new Shape(config.vocabSize(), config.hidden()));
        this.scale = config.embedScale();
    }

    @Override
    public Parameter weight() {
        return weight;
    }

    @Override
    public void storeRowScaled(NDArray half, NDArray scales) {
        ParameterUpload.install(weight, half);
        weight.freeze(true);
        if (rowScale != null) {
            rowScale.close();
        }
        rowScale = scales;
    }

    /** {@code ids [B, T]} (int64) → {@code [B, T, D]}, in the ids' manager. */
    NDArray apply(NDArray ids) {
        Shape shape = ids.getShape();
        NDArray flat = ids.flatten();
        NDArray rows = weight.getArray().get(flat);
        // The lookup lands in the weight's manager; move it to the activation's so it is freed with it.
        rows.attach(ids.getManager());
        if (rowScale != null) {
            NDArray cast = rows.toType(DataType.FLOAT32, true);
            rows.close();
            NDArray scales = rowScale.get(flat);
            scales.attach(ids.getManager());
            rows = cast.muli(scales);
            scales.close();
        }
        return rows.mul(scale).reshape(shape.get(0), shape.get(1), weight.getShape().get(1));
    }
}
