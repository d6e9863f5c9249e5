package org.ltxfleet.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Grad mode is per thread, and DJL turns it off on one thread only. */
class GradModeTest {

    @Test
    void anotherThreadRecordsUnlessTurnedOff() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.ones(new Shape(4, 4));
            weight.setRequiresGradient(true);
            NDArray input = manager.ones(new Shape(2, 4));
            boolean recordedByDefault = CompletableFuture.supplyAsync(() -> GradMode.tracked(input.matMul(weight))).get();
            boolean recordedWhenOff = CompletableFuture.supplyAsync(() -> {
                try (GradMode off = GradMode.off()) {
                    return GradMode.tracked(input.matMul(weight));
                }
            }).get();
            assertThat(recordedByDefault).as("a new thread records graphs: inference must turn grad mode off").isTrue();
            assertThat(recordedWhenOff).isFalse();
        }
    }

    @Test
    void trackedTellsOpResultsAndLeavesApart() {
        try (NDManager manager = NDManager.newBaseManager(); GradMode on = GradMode.on()) {
            NDArray leaf = manager.ones(new Shape(3));
            NDArray constant = manager.ones(new Shape(3));
            assertThat(GradMode.tracked(constant)).isFalse();
            leaf.setRequiresGradient(true);
            NDArray result = leaf.mul(constant);
            assertThat(result.hasGradient()).as("DJL's own answer for an op result").isFalse();
            assertThat(GradMode.tracked(result)).isTrue();
            assertThat(GradMode.tracked(leaf)).isTrue();
            assertThat(GradMode.tracked(constant.add(constant))).isFalse();
            // Probing changes nothing: the result still back-propagates into the leaf.
            NDArray total = result.sum();
            ai.djl.pytorch.jni.JniUtils.backward((ai.djl.pytorch.engine.PtNDArray) total,
                    (ai.djl.pytorch.engine.PtNDArray) total.onesLike(), false, false);
            assertThat(leaf.getGradient().toFloatArray()).containsExactly(1, 1, 1);
        }
    }
}
