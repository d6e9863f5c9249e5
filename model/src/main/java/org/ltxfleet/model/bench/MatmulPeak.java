package org.ltxfleet.model.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** The engine's practical dense rate: the best of several {@code n²} float32 matmuls, in FLOP/s. */
final class MatmulPeak {

    private MatmulPeak() {
    }

    static double measure(NDManager manager, int n, int repeats) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray a = scope.randomNormal(new Shape(n, n));
            NDArray b = scope.randomNormal(new Shape(n, n));
            a.matMul(b).close();
            double best = Double.MAX_VALUE;
            for (int i = 0; i < repeats; i++) {
                long start = System.nanoTime();
                try (NDArray product = a.matMul(b)) {
                    product.getFloat(0, 0); // waits for the product on an asynchronous device
                }
                best = Math.min(best, (System.nanoTime() - start) / 1e9);
            }
            return 2.0 * n * n * n / best;
        }
    }
}
