package org.ltxfleet.model.text.gemma;

/**
 * A batch of token ids {@code [B][T]}, left-padded, and its attention mask (1 = real token, 0 = pad),
 * as LTX's Gemma tokenizer hands them over.
 */
public record GemmaInput(int[][] tokenIds, int[][] attentionMask) {

    public GemmaInput {
        if (tokenIds.length == 0 || tokenIds.length != attentionMask.length) {
            throw new IllegalArgumentException(tokenIds.length + " rows of ids, " + attentionMask.length + " of mask");
        }
        for (int b = 0; b < tokenIds.length; b++) {
            if (tokenIds[b].length != tokenIds[0].length || attentionMask[b].length != tokenIds[0].length) {
                throw new IllegalArgumentException("row " + b + " is not " + tokenIds[0].length + " tokens long");
            }
        }
    }

    public int batch() {
        return tokenIds.length;
    }

    public int tokens() {
        return tokenIds[0].length;
    }
}
