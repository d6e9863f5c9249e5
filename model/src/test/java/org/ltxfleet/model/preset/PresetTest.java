package org.ltxfleet.model.preset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Preset.named("ltx-3", Preset.Sources.of(dir)))
                .hasMessageContaining("'ltx-3'").hasMessageContaining("tiny").hasMessageContaining("ltx-2.3");
    }
}
