package org.ltxfleet.model.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ltxfleet.model.transformer.LoraSpec;
import org.ltxfleet.model.transformer.TransformerConfig;
import org.ltxfleet.model.transformer.VideoTransformer;

class ParameterCountTest {

    @Test
    void ltx23BaseMatchesTheModelsDeclaredShapes() {
        var model = new VideoTransformer(TransformerConfig.ltx23(), LoraSpec.attention(32));
        assertThat(ParameterCount.base(TransformerConfig.ltx23()))
                .isEqualTo(model.baseParameterCount())
                .isEqualTo(13_124_316_288L);
    }

    @Test
    void ltx23AdaptersAtRank32MatchTheModelsLoraShapes() {
        var config = TransformerConfig.ltx23();
        var lora = LoraSpec.attention(32);
        // 48 blocks × 8 square projections × 32 × (4096 + 4096).
        assertThat(ParameterCount.adapters(config, lora)).isEqualTo(loraParameters(new VideoTransformer(config, lora)))
                .isEqualTo(100_663_296L);
    }

    @Test
    void feedForwardAdaptersAndOtherWidthsAreCountedToo() {
        var config = TransformerConfig.tiny().withBlocks(3);
        var lora = new LoraSpec(8, true);
        var model = new VideoTransformer(config, lora);
        assertThat(ParameterCount.base(config)).isEqualTo(model.baseParameterCount());
        assertThat(ParameterCount.adapters(config, lora)).isEqualTo(loraParameters(model));
    }

    @Test
    void aBlockWithoutGatesOrCrossAttentionAdalnIsCountedToo() {
        var config = TransformerConfig.tiny().withGatedAttention(false).withCrossAttentionAdaln(false);
        assertThat(ParameterCount.base(config))
                .isEqualTo(new VideoTransformer(config, LoraSpec.none()).baseParameterCount());
    }

    private static long loraParameters(VideoTransformer model) {
        return model.parametersByName().entrySet().stream()
                .filter(e -> VideoTransformer.isLora(e.getKey()))
                .mapToLong(e -> e.getValue().getShape().size())
                .sum();
    }
}
