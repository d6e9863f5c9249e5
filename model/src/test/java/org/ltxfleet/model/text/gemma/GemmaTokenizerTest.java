package org.ltxfleet.model.text.gemma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.model.text.synthetic.SyntheticTextModel;

/** The tokenizer on the synthetic Gemma-3 tokenizer.json (real layout, 512 ids; {@code <0xNN>} at 4 + NN). */
class GemmaTokenizerTest {

    @TempDir
    static Path dir;
    private static Path file;
    private static GemmaTokenizer tokenizer;

    @BeforeAll
    static void writeTokenizer() throws IOException {
        file = SyntheticTextModel.of(2, 16, 1).writeGemmaFolder(dir.resolve("gemma")).resolve("tokenizer.json");
        tokenizer = GemmaTokenizer.open(file, 16);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void putsBosBeforeThePromptAndPadsOnTheLeft() {
        GemmaInput input = tokenizer.encode("the red dog");
        assertThat(tokenizer.tokens("the red dog")).containsExactly("t", "he", "▁red", "▁dog");
        assertThat(input.batch()).isEqualTo(1);
        int[] ids = input.tokenIds()[0];
        int[] mask = input.attentionMask()[0];
        assertThat(ids).hasSize(16);
        assertThat(Arrays.copyOfRange(ids, 0, 11)).containsOnly(tokenizer.padId());
        assertThat(ids[11]).isEqualTo(tokenizer.bosId()).isEqualTo(2);
        assertThat(mask).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1);
        assertThat(tokenizer.padId()).isZero();
    }

    @Test
    void stripsThePromptAsPythonDoes() {
        GemmaInput plain = tokenizer.encode("a cat");
        assertThat(tokenizer.encode("  a cat \n\t").tokenIds()).isDeepEqualTo(plain.tokenIds());
        assertThat(tokenizer.encode("\u00a0a cat\u00a0").tokenIds()).isDeepEqualTo(plain.tokenIds());
    }

    @Test
    void truncatesToTheLengthCountingBos() {
        GemmaInput input = tokenizer.encode("dog ".repeat(40));
        assertThat(input.attentionMask()[0]).containsOnly(1);
        int[] ids = input.tokenIds()[0];
        assertThat(ids[0]).isEqualTo(2);
        assertThat(tokenizer.tokens("dog ".repeat(40))).hasSize(16);
        assertThat(ids).hasSize(16);
    }

    @Test
    void textOutsideTheVocabularyFallsBackToUtf8Bytes() {
        assertThat(tokenizer.tokens("é✓")).containsExactly("<0xC3>", "<0xA9>", "<0xE2>", "<0x9C>", "<0x93>");
        int[] ids = tokenizer.encode("é").tokenIds()[0];
        assertThat(Arrays.copyOfRange(ids, 13, 16)).containsExactly(2, 4 + 0xC3, 4 + 0xA9);
    }

    @Test
    void anEmptyPromptIsBosAlone() {
        assertThat(tokenizer.encode("   ").attentionMask()[0]).containsOnlyOnce(1).endsWith(1);
        assertThat(tokenizer.encode("").tokenIds()[0][15]).isEqualTo(2);
    }

    @Test
    void encodesFromSeveralThreadsAsFromOne() throws Exception {
        List<String> prompts = IntStream.range(0, 64).mapToObj(i -> "a cat number " + i + " é").toList();
        List<int[][]> alone = prompts.stream().map(p -> tokenizer.encode(p).tokenIds()).toList();
        try (var pool = Executors.newFixedThreadPool(4)) {
            var together = pool.invokeAll(prompts.stream()
                    .map(p -> (Callable<int[][]>) () -> tokenizer.encode(p).tokenIds()).toList());
            for (int i = 0; i < prompts.size(); i++) {
                assertThat(together.get(i).get()).isDeepEqualTo(alone.get(i));
            }
        }
    }

    @Test
    void theDefaultLengthIsLtx23s1024() throws IOException {
        try (var full = GemmaTokenizer.open(file)) {
            assertThat(full.maxLength()).isEqualTo(1024);
            int[] ids = full.encode("the cat").tokenIds()[0];
            int[] short16 = tokenizer.encode("the cat").tokenIds()[0];
            assertThat(ids).hasSize(1024).startsWith(0, 0).endsWith(Arrays.copyOfRange(short16, 12, 16));
        }
    }

    @Test
    void aMissingOrBrokenTokenizerIsNamed(@TempDir Path other) throws IOException {
        Path missing = other.resolve("tokenizer.json");
        assertThatThrownBy(() -> GemmaTokenizer.open(missing)).isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString());
        Files.writeString(missing, "{\"model\": ");
        assertThatThrownBy(() -> GemmaTokenizer.open(missing)).isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString());
    }
}
