package org.ltxfleet.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;

/**
 * A frozen matrix that can be kept as FLOAT16 rows with a float32 power-of-two scale per row
 * ({@link WeightStorage#FLOAT16}): a linear layer's weight (rows are outputs) or a token embedding
 * (rows are tokens).
 */
public interface RowScaledWeight {

    /** The parameter holding the matrix, named as in the checkpoint. */
    Parameter weight();

    /**
     * Takes {@code half} ({@code [rows, …]}, FLOAT16) as the parameter's values and {@code scale}
     * ({@code [rows, 1]}, float32) as the factor each row is multiplied by where used; freezes the parameter.
     */
    void storeRowScaled(NDArray half, NDArray scale);
}
