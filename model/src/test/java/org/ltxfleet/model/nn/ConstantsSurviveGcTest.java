package org.ltxfleet.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ltxfleet.model.TinyFixtures;
import org.ltxfleet.model.training.KeyframeObjective;
import org.ltxfleet.model.transformer.KeyframeLayout;
import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.VideoTransformer;

/**
 * Gradients through constants stay right while the GC runs. Before {@link Functional#times} and
 * friends, DJL's {@code mul(Number)} left autograd holding a tensor over a freed Java buffer: with
 * the GC running every 10 ms, the transformer step here had NaN gradients at once (with it every
 * millisecond, 20 of 20 tiny training steps did), and runs that stayed finite differed.
 */
class ConstantsSurviveGcTest {

    private Thread collector;

    @BeforeEach
    void collectGarbageConstantly() {
        collector = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                System.gc();
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        collector.setDaemon(true);
        collector.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        collector.interrupt();
        collector.join();
    }

    @Test
    void timesAndPowerHaveExactGradients() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.arange(1f, 65f).reshape(8, 8);
            w.setRequiresGradient(true);
            // d/dw of sum(3·w) is 3; of sum(w²) through power is 2w.
            assertThat(gradient(w, x -> Functional.times(x, 3))).containsOnly(3f);
            float[] squared = gradient(w, x -> Functional.power(x, 2));
            for (int i = 0; i < squared.length; i++) {
                assertThat(squared[i]).isEqualTo(2f * (i + 1));
            }
        }
    }

    @Test
    void aTransformerStepGivesTheSameFiniteGradientsEachTime() {
        try (NDManager manager = NDManager.newBaseManager()) {
            VideoTransformer model = TinyFixtures.model(new LoraSpec(8, true), 3, manager);
            model.parametersByName().values().forEach(p -> p.freeze(false));
            Map<String, float[]> first = gradients(model, manager);
            for (int run = 0; run < 1; run++) {
                Map<String, float[]> again = gradients(model, manager);
                for (var entry : first.entrySet()) {
                    float[] values = again.get(entry.getKey());
                    for (float v : values) {
                        assertThat(Float.isFinite(v)).as(entry.getKey() + " is finite").isTrue();
                    }
                    assertThat(values).as(entry.getKey()).containsExactly(entry.getValue());
                }
            }
        }
    }

    /** The gradient of {@code sum(f(w))}, the last of 20 backward passes (each a chance for the GC). */
    private static float[] gradient(NDArray w, UnaryOperator<NDArray> f) {
        float[] result = null;
        for (int i = 0; i < 20; i++) {
            try (NDManager scope = w.getManager().newSubManager();
                 var gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = f.apply(w).sum();
                y.attach(scope);
                gc.backward(y);
                NDArray g = w.getGradient();
                g.attach(scope);
                result = g.toFloatArray();
            }
            JniUtils.zeroGrad((PtNDArray) w);
        }
        return result;
    }

    private static Map<String, float[]> gradients(VideoTransformer model, NDManager manager) {
        var example = TinyFixtures.example(0, true);
        float[] noise = Noise.gaussian(11, example.video().tokens() * example.video().channels());
        var result = new LinkedHashMap<String, float[]>();
        try (NDManager step = manager.newSubManager();
             var gc = Engine.getInstance().newGradientCollector()) {
            var prepared = KeyframeObjective.prepare(model, example, KeyframeLayout.APPENDED, 0.6, noise, step);
            gc.backward(KeyframeObjective.loss(model, prepared));
            model.parametersByName().forEach((name, p) -> {
                NDArray g = p.getArray().getGradient();
                g.attach(step);
                result.put(name, g.toFloatArray());
            });
        }
        model.parametersByName().values().forEach(p -> JniUtils.zeroGrad((PtNDArray) p.getArray()));
        return result;
    }
}
