package org.ltxfleet.model.text.gemma;

import ai.djl.ndarray.NDArray;

/** What a layer of one type needs besides its input: its RoPE tables and its mask as tensors. */
record LayerContext(RotaryTable.Rotation rope, NDArray scoreBias, NDArray queryHasKey) {
}
