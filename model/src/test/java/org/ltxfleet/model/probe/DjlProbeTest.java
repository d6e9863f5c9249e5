package org.ltxfleet.model.probe;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class DjlProbeTest {
    @Test
    void probe() {
        long t0 = System.nanoTime();
        try (NDManager m = NDManager.newBaseManager()) {
            System.out.println("engine " + m.getEngine().getEngineName() + " " + m.getEngine().getVersion()
                    + " device " + m.getDevice() + " init " + (System.nanoTime() - t0) / 1e6 + " ms");
            var a = m.randomNormal(new Shape(1024, 1024));
            var b = m.randomNormal(new Shape(1024, 1024));
            a.matMul(b).sum().getFloat();
            long t = System.nanoTime();
            int n = 20;
            for (int i = 0; i < n; i++) {
                a.matMul(b).sum().getFloat();
            }
            double s = (System.nanoTime() - t) / 1e9;
            System.out.println("1024 matmul GFLOP/s " + (2.0 * 1024 * 1024 * 1024 * n / s / 1e9));
        }
    }
}
