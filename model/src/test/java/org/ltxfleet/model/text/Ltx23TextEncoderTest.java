package org.ltxfleet.model.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.model.latent.TextFeatures;
import org.ltxfleet.model.nn.CpuThreads;
import org.ltxfleet.model.text.gemma.Gemma3TextModel;
import org.ltxfleet.model.text.gemma.GemmaFolder;
import org.ltxfleet.model.text.gemma.GemmaInput;
import org.ltxfleet.model.text.gemma.GemmaProbe;
import org.ltxfleet.model.text.gemma.GemmaTokenizer;
import org.ltxfleet.model.text.gemma.GemmaWeights;
import org.ltxfleet.model.text.ltx.TextEmbeddings;
import org.ltxfleet.model.text.synthetic.SyntheticTextModel;

/** The whole LTX-2.3 text encoder on the synthetic Gemma-3 folder and LTX text tensors (video width 64). */
class Ltx23TextEncoderTest {

    private static final SyntheticTextModel SYNTHETIC = SyntheticTextModel.of(2, 32, 7);
    private static final String PROMPT = "The red dog, then a cat à côté";

    @TempDir
    static Path dir;
    private static Path gemma;
    private static Path ltx;
    private static Ltx23TextEncoder encoder;

    private static int threadsBefore;

    @BeforeAll
    static void load() throws IOException {
        // One intra-op thread: on a shared 2-core machine two threads spin against a busy core, and an
        // encode then took 1–3 s instead of ~0.1 s.
        Engine.getInstance(); // loads the natives JniUtils calls
        threadsBefore = JniUtils.getNumThreads();
        CpuThreads.limit(1);
        gemma = SYNTHETIC.writeGemmaFolder(dir.resolve("gemma"));
        ltx = SYNTHETIC.writeTextEmbeddings(dir.resolve("ltx-2.3-text.safetensors"));
        encoder = Ltx23TextEncoder.load(gemma, ltx);
    }

    @AfterAll
    static void close() {
        encoder.close();
        CpuThreads.limit(threadsBefore);
    }

    @Test
    void encodesAPromptAs1024RowsOfTheVideoWidth() {
        TextFeatures features = encoder.encode(PROMPT);
        assertThat(features.tokens()).isEqualTo(1024);
        assertThat(features.width()).isEqualTo(64).isEqualTo(encoder.width());
        assertThat(features.data()).hasSize(1024 * 64).doesNotContain(Float.NaN);
        // Every row is valid context: real tokens first, then the registers (never zero rows).
        for (int row : new int[] {0, 9, 1023}) {
            float sum = 0;
            for (int i = 0; i < 64; i++) {
                sum += Math.abs(features.data()[row * 64 + i]);
            }
            assertThat(sum).as("row " + row).isGreaterThan(1f);
        }
    }

    @Test
    void isDeterministicAndTellsPromptsApart() {
        float[] once = encoder.encode(PROMPT).data();
        assertThat(encoder.encode(PROMPT).data()).containsExactly(once);
        assertThat(encoder.encode("  " + PROMPT + "\n").data()).containsExactly(once);
        assertThat(encoder.encode("The red cat, then a dog à côté").data()).isNotEqualTo(once);
    }

    /** The one numeric check: the encoder is exactly tokenizer → Gemma hidden states → TextEmbeddings. */
    @Test
    void equalsThePiecesRunByHand() throws IOException {
        float[] ours = encoder.encode(PROMPT).data();
        try (var pieces = Pieces.load(); NDManager call = pieces.manager.newSubManager()) {
            float[] byHand = pieces.encode(PROMPT, call);
            assertThat(ours).hasSameSizeAs(byHand);
            double worst = 0;
            for (int i = 0; i < ours.length; i++) {
                worst = Math.max(worst, Math.abs(ours[i] - byHand[i]));
            }
            assertThat(worst).isLessThanOrEqualTo(1e-6);
        }
    }

    /** A long-running worker encodes many prompts: nothing of a call may stay in the weights' manager. */
    @Test
    void aCallLeavesNoArrayBesideTheWeights() throws IOException {
        try (var pieces = Pieces.load()) {
            var weights = (BaseNDManager) pieces.manager;
            int before = weights.getManagedArrays().size();
            try (NDManager call = weights.newSubManager()) {
                pieces.encode(PROMPT, call);
            }
            assertThat(weights.getManagedArrays().size()).isEqualTo(before);
        }
    }

    /** The encoder's parts, loaded as the parity code loads them. */
    private record Pieces(GemmaTokenizer tokenizer, Gemma3TextModel decoder, TextEmbeddings embeddings,
                          NDManager manager) implements AutoCloseable {

        static Pieces load() throws IOException {
            GemmaFolder folder = GemmaFolder.of(gemma);
            NDManager manager = NDManager.newBaseManager();
            var model = new Gemma3TextModel(folder.readConfig());
            GemmaWeights.load(model, folder.shards(), manager);
            return new Pieces(GemmaTokenizer.open(folder.tokenizer()), model, TextEmbeddings.load(ltx, 32, 3, manager),
                    manager);
        }

        float[] encode(String prompt, NDManager call) {
            GemmaInput input = tokenizer.encode(prompt);
            var states = NDArrays.stack(new NDList(decoder.hiddenStates(input, call, GemmaProbe.NONE)), 0);
            return embeddings.process(states, input.attentionMask()).videoEncoding().toFloatArray();
        }

        @Override
        public void close() {
            tokenizer.close();
            manager.close();
        }
    }

    @Test
    void encodesFromSeveralThreadsAsFromOne() throws Exception {
        List<String> prompts = IntStream.range(0, 3).mapToObj(i -> "a dog number " + i).toList();
        List<float[]> alone = prompts.stream().map(p -> encoder.encode(p).data()).toList();
        try (var pool = Executors.newFixedThreadPool(3)) {
            List<Future<float[]>> together = pool.invokeAll(prompts.stream()
                    .map(p -> (Callable<float[]>) () -> encoder.encode(p).data()).toList());
            for (int i = 0; i < prompts.size(); i++) {
                assertThat(together.get(i).get()).containsExactly(alone.get(i));
            }
        }
    }

    @Test
    void theIdFollowsTokenizerWeightsAndLengthNotTheFolder(@TempDir Path other) throws IOException {
        assertThat(encoder.id()).startsWith("ltx23-gemma3-v1-1024-");
        Path gemmaCopy = SYNTHETIC.writeGemmaFolder(other.resolve("copy"));
        Path ltxCopy = SYNTHETIC.writeTextEmbeddings(other.resolve("text-copy.safetensors"));
        assertThat(idOf(gemmaCopy, ltxCopy, 1024)).isEqualTo(encoder.id());

        assertThat(idOf(gemma, ltx, 128)).isNotEqualTo(encoder.id());
        Path otherLtx = SYNTHETIC.withSeed(8).writeTextEmbeddings(other.resolve("other-text.safetensors"));
        assertThat(idOf(gemma, otherLtx, 1024)).isNotEqualTo(encoder.id());
        Path otherGemma = SYNTHETIC.withSeed(8).writeGemmaFolder(other.resolve("other-gemma"));
        assertThat(idOf(otherGemma, ltx, 1024)).isNotEqualTo(encoder.id());

        ObjectNode tokenizer = (ObjectNode) Json.readTree(Files.readAllBytes(gemmaCopy.resolve("tokenizer.json")));
        ((ArrayNode) tokenizer.path("model").path("merges")).remove(0);
        Files.write(gemmaCopy.resolve("tokenizer.json"), Json.toBytes(tokenizer));
        assertThat(idOf(gemmaCopy, ltxCopy, 1024)).isNotEqualTo(encoder.id());
    }

    private static String idOf(Path gemmaFolder, Path checkpoint, int length) throws IOException {
        try (var loaded = Ltx23TextEncoder.load(gemmaFolder, checkpoint, length)) {
            return loaded.id();
        }
    }

    @Test
    void aLengthTheRegistersDoNotTileIsRefused() {
        assertThatThrownBy(() -> Ltx23TextEncoder.load(gemma, ltx, 1000))
                .hasMessageContaining("1000").hasMessageContaining("128 registers");
    }

    @Test
    void aFolderWithoutItsFilesIsNamed(@TempDir Path empty) {
        assertThatThrownBy(() -> Ltx23TextEncoder.load(empty, ltx)).isInstanceOf(IOException.class)
                .hasMessageContaining(empty.toString()).hasMessageContaining("config.json");
    }
}
