package org.ltxfleet.model.lora;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.model.nn.CheckpointNames;
import org.ltxfleet.model.nn.LoraLinear;
import org.ltxfleet.model.safetensors.SafetensorsReader;

class LoraTest {

    /** transformer_blocks.0.attn1.{to_q, to_out.0}: the shape of the real key names, at toy widths. */
    static final class Nest extends AbstractBlock {
        private final List<Block> path;

        Nest(String name, Block child) {
            super((byte) 1);
            this.path = List.of(addChildBlock(name, child));
        }

        Nest(Map<String, Block> children) {
            super((byte) 1);
            var added = new java.util.ArrayList<Block>();
            children.forEach((n, b) -> added.add(addChildBlock(n, b)));
            this.path = added;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            NDList x = in;
            for (Block b : path) {
                x = b.forward(ps, x, training);
            }
            return x;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] in) {
            Shape[] shapes = in;
            for (Block b : path) {
                shapes = b.getOutputShapes(shapes);
            }
            return shapes;
        }

        @Override
        protected void initializeChildBlocks(NDManager m, DataType t, Shape... in) {
            Shape[] shapes = in;
            for (Block b : path) {
                b.initialize(m, t, shapes);
                shapes = b.getOutputShapes(shapes);
            }
        }
    }

    private static Block model(int rank) {
        var attention = new java.util.LinkedHashMap<String, Block>();
        attention.put("to_q", rank == 0 ? LoraLinear.of(8, 8) : LoraLinear.adapted(8, 8, true, rank));
        attention.put("to_out.0", rank == 0 ? LoraLinear.of(8, 8) : LoraLinear.adapted(8, 8, true, rank));
        return new Nest("transformer_blocks", new Nest("0", new Nest("attn1", new Nest(attention))));
    }

    @Test
    void namesParametersAsTheCheckpointDoes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = model(4);
            model.initialize(manager, DataType.FLOAT32, new Shape(3, 8));
            assertThat(CheckpointNames.of(model).keySet()).containsExactly(
                    "transformer_blocks.0.attn1.to_q.weight", "transformer_blocks.0.attn1.to_q.bias",
                    "transformer_blocks.0.attn1.to_q.lora_A", "transformer_blocks.0.attn1.to_q.lora_B",
                    "transformer_blocks.0.attn1.to_out.0.weight", "transformer_blocks.0.attn1.to_out.0.bias",
                    "transformer_blocks.0.attn1.to_out.0.lora_A", "transformer_blocks.0.attn1.to_out.0.lora_B");
        }
    }

    @Test
    void anAdaptedModelEqualsItsBaseAtStepZero() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block base = model(0);
            Block adapted = model(16);
            base.initialize(manager, DataType.FLOAT32, new Shape(3, 8));
            adapted.initialize(manager, DataType.FLOAT32, new Shape(3, 8));
            copyBase(base, adapted);
            var x = manager.randomNormal(new Shape(3, 8));
            var ps = new ParameterStore(manager, false);
            float[] expected = base.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
            float[] actual = adapted.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
            assertThat(actual).containsExactly(expected);
        }
    }

    @Test
    void trainingMovesOnlyTheAdapters() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = model(4);
            model.initialize(manager, DataType.FLOAT32, new Shape(3, 8));
            model.freezeParameters(true);
            CheckpointNames.of(model).forEach((name, p) -> {
                if (name.contains("lora_")) {
                    p.freeze(false);
                }
            });
            Map<String, float[]> before = snapshot(model);
            var x = manager.randomNormal(new Shape(3, 8));
            var target = manager.randomNormal(new Shape(3, 8));
            for (int step = 0; step < 3; step++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    var y = model.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
                    gc.backward(y.sub(target).square().mean());
                }
                for (Parameter p : CheckpointNames.of(model).values()) {
                    if (p.requiresGradient()) {
                        p.getArray().subi(p.getArray().getGradient().mul(0.1f));
                    }
                }
            }
            Map<String, float[]> after = snapshot(model);
            before.forEach((name, values) -> {
                if (name.contains("lora_B")) {
                    assertThat(after.get(name)).as(name).isNotEqualTo(values);
                } else if (!name.contains("lora_")) {
                    assertThat(after.get(name)).as(name + " must stay bit-identical").containsExactly(values);
                }
            });
        }
    }

    @Test
    void exportsBf16AdaptersWithLtxKeyNames(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = model(4);
            model.initialize(manager, DataType.FLOAT32, new Shape(3, 8));
            Path file = dir.resolve("lora.safetensors");
            int tensors = LoraExporter.write(model, Map.of("ss_network_dim", "4", "training_type", "interpolate"), file);
            assertThat(tensors).isEqualTo(4);
            try (var reader = SafetensorsReader.open(file)) {
                assertThat(reader.names()).allMatch(n -> n.matches(
                        "diffusion_model\\.transformer_blocks\\.\\d+\\.attn[12]\\.(to_q|to_k|to_v|to_out\\.0)\\.lora_[AB]\\.weight"));
                assertThat(reader.info("diffusion_model.transformer_blocks.0.attn1.to_q.lora_A.weight").shape())
                        .containsExactly(4, 8);
                assertThat(reader.info("diffusion_model.transformer_blocks.0.attn1.to_out.0.lora_B.weight").shape())
                        .containsExactly(8, 4);
                assertThat(reader.info("diffusion_model.transformer_blocks.0.attn1.to_q.lora_A.weight").dtype().wireName())
                        .isEqualTo("BF16");
                assertThat(reader.metadata()).containsEntry("training_type", "interpolate");
            }
        }
    }

    private static void copyBase(Block from, Block to) {
        Map<String, Parameter> target = CheckpointNames.of(to);
        CheckpointNames.of(from).forEach((name, p) -> target.get(name).getArray().set(p.getArray().toFloatArray()));
    }

    private static Map<String, float[]> snapshot(Block model) {
        var values = new HashMap<String, float[]>();
        CheckpointNames.of(model).forEach((name, p) -> values.put(name, p.getArray().toFloatArray()));
        return values;
    }
}
