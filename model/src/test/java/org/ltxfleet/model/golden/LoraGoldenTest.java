package org.ltxfleet.model.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ltxfleet.model.golden.TransformerGoldenTest.assertClose;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.model.lora.LoraExporter;
import org.ltxfleet.model.lora.LoraLoader;
import org.ltxfleet.model.parity.LoraParity;
import org.ltxfleet.model.parity.TransformerParity;
import org.ltxfleet.model.safetensors.DType;
import org.ltxfleet.model.safetensors.SafetensorsReader;
import org.ltxfleet.model.safetensors.SafetensorsWriter;
import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.VideoTransformer;
import org.ltxfleet.model.transformer.Weights;

/**
 * Our LoRA files and their application against the official LTX-2 trainer and loaders
 * ({@code testdata/golden/ltx23/lora}, its README gives the conventions, cases and tolerances): a
 * rank-4 file as ltx-trainer saves it, applied to the tiny transformer of {@code ../transformer}.
 */
class LoraGoldenTest {

    static final Path DIR = Golden.ROOT.resolve("ltx23").resolve("lora");
    static final Path OFFICIAL = DIR.resolve("lora_weights.safetensors");
    static final double TOLERANCE = 1e-4;

    @Test
    void officialFileIsReadAsRankFourAttentionAdapters() throws IOException {
        Golden.require(DIR, TransformerGoldenTest.DIR);
        assertThat(LoraLoader.spec(OFFICIAL)).isEqualTo(LoraSpec.attention(4));
    }

    @Test
    void theOfficialLoraAppliesAndFusesAsTheOfficialCodeDoes() throws IOException {
        Golden.require(DIR, TransformerGoldenTest.DIR);
        var comparisons = LoraParity.run(DIR);
        comparisons.forEach(System.out::println);
        assertThat(comparisons).hasSize(4).allSatisfy(c -> assertThat(c.passed()).as(c.toString()).isTrue());
    }

    @Test
    void exportHasTheOfficialLayoutAndReadsBack(@TempDir Path dir) throws IOException {
        Golden.require(DIR, TransformerGoldenTest.DIR);
        Path ours = dir.resolve("lora.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            var model = model(manager);
            LoraLoader.load(model.parametersByName(), OFFICIAL);
            assertThat(LoraExporter.write(model, Map.of(), ours)).isEqualTo(32);
        }
        try (var official = SafetensorsReader.open(OFFICIAL); var exported = SafetensorsReader.open(ours)) {
            assertThat(exported.names()).containsExactlyInAnyOrderElementsOf(official.names());
            for (String name : official.names()) {
                assertThat(exported.info(name).dtype()).as(name).isEqualTo(DType.BF16).isEqualTo(official.info(name).dtype());
                assertThat(exported.info(name).shape()).as(name).containsExactly(official.info(name).shape());
                // bf16 → float32 → bf16 is exact: any orientation or scale change shows here.
                assertThat(exported.readFloats(name)).as(name).containsExactly(official.readFloats(name));
            }
        }
        assertAppliesAsTheOfficialFile("exported LoRA read back", ours);
    }

    @Test
    void audioVideoTrainerFileWithBareKeysLoadsItsVideoAdapters(@TempDir Path dir) throws IOException {
        Golden.require(DIR, TransformerGoldenTest.DIR);
        // The trainer's AV model also adapts the audio stream; ComfyUI and ltx-pipelines also take keys without the prefix.
        var writer = new SafetensorsWriter();
        var random = new SplittableRandom(5);
        try (var official = SafetensorsReader.open(OFFICIAL)) {
            for (String name : official.names()) {
                writer.add(name.substring(LoraExporter.PREFIX.length()), DType.BF16, official.info(name).shape(),
                        official.readFloats(name));
                for (String audio : List.of("audio_attn1", "audio_to_video_attn", "video_to_audio_attn")) {
                    String key = name.replace(".attn1.", "." + audio + ".");
                    if (!key.equals(name)) {
                        // The audio stream is narrower (32 wide here): its adapters fit no video layer.
                        long[] shape = Arrays.stream(official.info(name).shape()).map(d -> d == 4 ? 4 : 32).toArray();
                        float[] values = new float[4 * 32];
                        for (int i = 0; i < values.length; i++) {
                            values[i] = (float) random.nextGaussian();
                        }
                        writer.add(key, DType.BF16, shape, values);
                    }
                }
            }
        }
        Path file = dir.resolve("av.safetensors");
        writer.write(file);
        assertThat(LoraLoader.spec(file)).isEqualTo(LoraSpec.attention(4));
        assertAppliesAsTheOfficialFile("bare-key AV file", file);
    }

    private static void assertAppliesAsTheOfficialFile(String what, Path file) throws IOException {
        try (var golden = SafetensorsReader.open(DIR.resolve("golden.safetensors"));
             var base = SafetensorsReader.open(TransformerGoldenTest.DIR.resolve("golden.safetensors"));
             NDManager manager = NDManager.newBaseManager()) {
            var model = model(manager);
            assertThat(LoraLoader.load(model.parametersByName(), file)).as(what).isEqualTo(32);
            assertClose("caseA velocity, " + what, velocity(model, base, manager),
                    golden.readFloats("caseA.out.velocity_lora_strength1p0"), TOLERANCE);
        }
    }

    /** The golden transformer (its config from its weights' metadata) with the official file's adapters at their initial values (B = 0). */
    private static VideoTransformer model(NDManager manager) throws IOException {
        var model = new VideoTransformer(TransformerGoldenTest.config(), LoraLoader.spec(OFFICIAL));
        Weights.initialize(model, manager, 1);
        assertThat(Weights.load(model, List.of(TransformerGoldenTest.DIR.resolve("weights.safetensors")), manager))
                .isEqualTo(77);
        return model;
    }

    /** caseA's velocity with its text mask (see {@link TransformerParity#maskedVelocity}). */
    private static float[] velocity(VideoTransformer model, SafetensorsReader base, NDManager manager) throws IOException {
        return TransformerParity.maskedVelocity(model, base, manager);
    }
}
