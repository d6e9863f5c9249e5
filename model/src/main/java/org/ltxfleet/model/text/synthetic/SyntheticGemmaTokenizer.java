package org.ltxfleet.model.text.synthetic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.ltxfleet.common.json.Json;

/**
 * A {@code tokenizer.json} in the layout of Gemma-3's (google/gemma-3-*-it): a BPE model with byte
 * fallback and {@code <unk>}, spaces turned into {@code ▁} by the normalizer (no dummy prefix), a no-op
 * split on spaces, {@code <pad>}=0, {@code <eos>}=1, {@code <bos>}=2, {@code <unk>}=3 as special added
 * tokens and a TemplateProcessing post-processor that puts {@code <bos>} first. Only the vocabulary is
 * small: the 256 byte tokens {@code <0x00>…<0xFF>}, ASCII letters, digits, some punctuation and a few
 * English merges, {@link #VOCAB} ids in all. Anything else (accents, emoji) falls back to bytes.
 */
final class SyntheticGemmaTokenizer {

    /** Rows the embedding needs: every id is below this. */
    static final int VOCAB = 512;

    private static final String SPACE = "\u2581";
    private static final List<String> SPECIALS = List.of("<pad>", "<eos>", "<bos>", "<unk>");
    private static final String CHARACTERS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?'\"-:;()";
    /** Merges in rank order, "left right"; a merge of merged pieces comes after the merges that make them. */
    private static final List<String> MERGES = List.of(
            "▁ t", "▁ r", "h e", "▁t he", "▁ a", "i n", "e r", "o n", "r e", "a n", "▁ s", "▁ c", "▁ w", "▁ m",
            "▁ d", "▁ b", "▁ f", "▁ l", "i s", "o r", "a t", "e n", "e d", "in g", "▁ o", "o u", "a r", "l e",
            "▁ p", "s t", "▁ in", "o w", "▁r ed", "▁d is", "▁c at", "▁d o", "▁do g");

    private SyntheticGemmaTokenizer() {
    }

    /** The whole tokenizer.json tree. */
    static ObjectNode json() {
        ObjectNode root = Json.object();
        root.put("version", "1.0").putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < SPECIALS.size(); id++) {
            added.addObject().put("id", id).put("content", SPECIALS.get(id)).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putObject("normalizer").put("type", "Replace").put("content", SPACE)
                .putObject("pattern").put("String", " ");
        root.putObject("pre_tokenizer").put("type", "Split").put("behavior", "MergedWithPrevious").put("invert", false)
                .putObject("pattern").put("String", " ");
        root.set("post_processor", bosFirst());
        root.set("decoder", decoder());
        root.set("model", model());
        return root;
    }

    private static ObjectNode bosFirst() {
        ObjectNode post = Json.object().put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "<bos>").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", "<bos>").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", "<bos>").put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode bos = post.putObject("special_tokens").putObject("<bos>").put("id", "<bos>");
        bos.putArray("ids").add(SPECIALS.indexOf("<bos>"));
        bos.putArray("tokens").add("<bos>");
        return post;
    }

    private static ObjectNode decoder() {
        ObjectNode decoder = Json.object().put("type", "Sequence");
        ArrayNode steps = decoder.putArray("decoders");
        steps.addObject().put("type", "Replace").put("content", " ").putObject("pattern").put("String", SPACE);
        steps.addObject().put("type", "ByteFallback");
        steps.addObject().put("type", "Fuse");
        return decoder;
    }

    private static ObjectNode model() {
        ObjectNode model = Json.object().put("type", "BPE").putNull("dropout");
        model.put("unk_token", "<unk>").putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", true).put("byte_fallback", true).put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        SPECIALS.forEach(token -> add(vocab, token));
        for (int b = 0; b < 256; b++) {
            add(vocab, String.format("<0x%02X>", b));
        }
        add(vocab, SPACE);
        CHARACTERS.codePoints().forEach(c -> add(vocab, Character.toString(c)));
        ArrayNode merges = model.putArray("merges");
        for (String merge : MERGES) {
            String[] pair = merge.split(" ");
            merges.addArray().add(pair[0]).add(pair[1]);
            add(vocab, pair[0] + pair[1]);
        }
        return model;
    }

    /** The next id to a new token: ids stay dense and below {@link #VOCAB}. */
    private static void add(ObjectNode vocab, String token) {
        if (vocab.has(token) || vocab.size() >= VOCAB) {
            throw new IllegalStateException("token " + token + " is a duplicate or beyond the vocabulary of " + VOCAB);
        }
        vocab.put(token, vocab.size());
    }
}
