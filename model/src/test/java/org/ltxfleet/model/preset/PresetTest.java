package org.ltxfleet.model.preset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.model.sampling.GuidanceSettings;
import org.ltxfleet.model.transformer.TransformerConfig;

class PresetTest {

    @TempDir
    Path dir;

    @Test
    void tinyHasBothEncodersItsOwnBaseWeightsAndFeedForwardAdapters() throws Exception {
        Preset tiny = Preset.named("tiny", Preset.Sources.of(dir));
        Encoders encoders = tiny.encoders();
        assertThat(encoders.vae().latentChannels()).isEqualTo(tiny.transformer().latentChannels());
        assertThat(encoders.id()).contains(encoders.vae().id()).contains(encoders.text().id());
        assertThat(tiny.baseWeights()).isInstanceOf(BaseWeights.Pretrained.class);
        assertThat(((BaseWeights.Pretrained) tiny.baseWeights()).file().getParent()).isEqualTo(dir);
        assertThat(tiny.feedForwardLoraByDefault()).isTrue();
    }

    @Test
    void ltx23WithoutItsFilesSaysWhichSettingToSet() {
        Preset ltx = Preset.named("LTX-2.3", Preset.Sources.of(dir));
        assertThat(ltx.transformer()).isEqualTo(TransformerConfig.ltx23());
        assertThat(ltx.feedForwardLoraByDefault()).isFalse();
        assertThatThrownBy(() -> ltx.baseWeights().local(line -> { })).hasMessageContaining("set model.weights");
        assertThatThrownBy(ltx::encoders).hasMessageContaining("model.weights");
        var missing = Preset.named("ltx-2.3", new Preset.Sources(dir, List.of(dir.resolve("absent.safetensors")), null));
        assertThatThrownBy(() -> missing.baseWeights().local(line -> { })).hasMessageContaining("absent.safetensors")
                .hasMessageContaining("not a file");
    }

    @Test
    void ltx23SamplesItsPreviewsWithLtxsValidationGuidanceAndTinyWithoutGuidance() {
        var ltx = Preset.named("ltx-2.3", Preset.Sources.of(dir)).previewGuidance(1.5, 1001);
        assertThat(ltx).isEqualTo(new GuidanceSettings(30, 3.0, 1.5, Set.of(28), 0.7, 1001));
        assertThat(ltx.describe()).isEqualTo("30 Euler steps, CFG 3, STG 1.5 on block 28, rescale 0.7, seed 1001");
        var tiny = Preset.named("tiny", Preset.Sources.of(dir)).previewGuidance(1.5, 1001);
        assertThat(tiny).isEqualTo(new GuidanceSettings(8, 1, 0, Set.of(), 0, 1001));
        assertThat(tiny.describe()).isEqualTo("8 Euler steps, no guidance, seed 1001");
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Preset.named("ltx-3", Preset.Sources.of(dir)))
                .hasMessageContaining("'ltx-3'").hasMessageContaining("tiny").hasMessageContaining("ltx-2.3");
    }
}
