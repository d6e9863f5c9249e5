package org.ltxfleet.model.text.gemma;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Gemma-3's tokenizer as LTX-2.3 drives it (ltx-core {@code LTXGemmaTokenizer.tokenize_with_weights}):
 * the prompt is stripped, encoded by the model's own {@code tokenizer.json} (whose post-processor puts
 * {@code <bos>} first), truncated to the length with BOS counted, given a BOS if the tokenizer did not
 * add one, and padded on the LEFT to exactly the length with {@code <pad>}. The Rust tokenizer runs
 * through DJL's binding; its native library comes from the jar, nothing is downloaded (run with
 * {@code -Dai.djl.offline=true}, as the fleet does, so DJL skips its usage-tracking probe too).
 *
 * <p>Thread-safe: the native tokenizer is configured once here and only encodes afterwards.
 */
public final class GemmaTokenizer implements AutoCloseable {

    /** ltx-core's {@code TOKENIZER_MAX_LENGTH}: every prompt becomes exactly this many tokens. */
    public static final int LTX_MAX_LENGTH = 1024;
    /**
     * Gemma-3's {@code tokenizer_config.json} names these; LTX takes BOS and pad ids from there. They
     * are looked up in tokenizer.json, so a tokenizer that numbers them otherwise still works.
     */
    private static final String BOS = "<bos>";
    private static final String PAD = "<pad>";

    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;
    private final int bosId;
    private final int padId;

    private GemmaTokenizer(HuggingFaceTokenizer tokenizer, int maxLength, int bosId, int padId) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.bosId = bosId;
        this.padId = padId;
    }

    /** The tokenizer of {@code tokenizerJson} at LTX-2.3's length, 1024. */
    public static GemmaTokenizer open(Path tokenizerJson) throws IOException {
        return open(tokenizerJson, LTX_MAX_LENGTH);
    }

    /**
     * The tokenizer of {@code tokenizerJson} producing {@code maxLength} tokens per prompt; fails naming
     * the file when it is missing, unreadable or lacks {@code <bos>} / {@code <pad>}.
     */
    public static GemmaTokenizer open(Path tokenizerJson, int maxLength) throws IOException {
        if (maxLength < 2) {
            throw new IllegalArgumentException("a prompt needs room for BOS and a token, got length " + maxLength);
        }
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IOException("no Gemma tokenizer at " + tokenizerJson + " (expected the model's tokenizer.json)");
        }
        // Truncation on (right side, special tokens counted, as transformers' fast tokenizer does with
        // truncation=True); padding off: DJL cannot pad on the left, so encode() does it. DJL clamps the
        // length to modelMaxLength (default 512), hence both.
        String length = Integer.toString(maxLength);
        Map<String, String> options = Map.of("addSpecialTokens", "true", "truncation", "true", "padding", "false",
                "maxLength", length, "modelMaxLength", length);
        HuggingFaceTokenizer tokenizer;
        try (InputStream in = Files.newInputStream(tokenizerJson)) {
            tokenizer = HuggingFaceTokenizer.newInstance(in, options);
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read the Gemma tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
        }
        try {
            return new GemmaTokenizer(tokenizer, maxLength, idOf(tokenizer, BOS, tokenizerJson),
                    idOf(tokenizer, PAD, tokenizerJson));
        } catch (IOException | RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /** A special token's id: added tokens are matched in raw text, so it encodes to itself alone. */
    private static int idOf(HuggingFaceTokenizer tokenizer, String token, Path file) throws IOException {
        Encoding encoding = tokenizer.encode(token, false, false);
        if (encoding.getIds().length != 1 || !token.equals(encoding.getTokens()[0])) {
            throw new IOException(file + " has no " + token + " token (it encodes as "
                    + Arrays.toString(encoding.getTokens()) + ")");
        }
        return Math.toIntExact(encoding.getIds()[0]);
    }

    /** One prompt as a batch of one row: {@link #maxLength()} ids, left-padded, and its mask (1 real, 0 pad). */
    public GemmaInput encode(String prompt) {
        long[] encoded = tokenizer.encode(strip(prompt)).getIds();
        long[] ids = encoded.length > 0 && encoded[0] == bosId ? encoded : withBos(encoded);
        int real = Math.min(ids.length, maxLength);
        int pads = maxLength - real;
        int[] row = new int[maxLength];
        int[] mask = new int[maxLength];
        Arrays.fill(row, 0, pads, padId);
        for (int i = 0; i < real; i++) {
            row[pads + i] = Math.toIntExact(ids[i]);
            mask[pads + i] = 1;
        }
        return new GemmaInput(new int[][] {row}, new int[][] {mask});
    }

    /** LTX guarantees a leading BOS for tokenizers whose post-processor adds none (Gemma 4). */
    private long[] withBos(long[] ids) {
        long[] out = new long[ids.length + 1];
        out[0] = bosId;
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }

    /**
     * Python's {@code str.strip()}: its whitespace also covers no-break spaces (Unicode Zs) and NEL,
     * which Java's {@link String#strip()} keeps.
     */
    static String strip(String text) {
        int begin = 0;
        int end = text.length();
        while (begin < end && isPythonSpace(text.charAt(begin))) {
            begin++;
        }
        while (end > begin && isPythonSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(begin, end);
    }

    private static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    /** Tokens per prompt. */
    public int maxLength() {
        return maxLength;
    }

    /** The id of {@code <bos>} in this tokenizer (2 in Gemma-3's). */
    public int bosId() {
        return bosId;
    }

    /** The id left pads carry, {@code <pad>} (0 in Gemma-3's). */
    public int padId() {
        return padId;
    }

    /** The pieces the stripped prompt splits into, without BOS (truncated like {@link #encode}). */
    public String[] tokens(String prompt) {
        return tokenizer.encode(strip(prompt), false, false).getTokens();
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
