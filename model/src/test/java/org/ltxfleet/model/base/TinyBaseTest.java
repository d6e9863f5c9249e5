package org.ltxfleet.model.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyBaseTest {

    @Test
    void preTrainingRepeatsBitForBit(@TempDir Path dir) throws Exception {
        var recipe = new TinyBase.Recipe(4, 40, 17, 64, 64, 1e-3);
        List<String> log = new ArrayList<>();
        TinyBase.train(recipe, dir.resolve("a.safetensors"), log::add);
        TinyBase.train(recipe, dir.resolve("b.safetensors"), log::add);
        byte[] a = Files.readAllBytes(dir.resolve("a.safetensors"));
        assertThat(a.length).isGreaterThan(1_000_000);
        assertThat(Files.readAllBytes(dir.resolve("b.safetensors"))).isEqualTo(a);
        assertThat(dir.resolve("a.safetensors.partial")).doesNotExist();
    }

    @Test
    void separateProcessesMakeTheSameBytes(@TempDir Path dir) throws Exception {
        var recipe = new TinyBase.Recipe(4, 30, 17, 64, 64, 1e-3);
        List<String> log = new ArrayList<>();
        TinyBase.trainInChildProcess(recipe, dir.resolve("a.safetensors"), log::add);
        TinyBase.trainInChildProcess(recipe, dir.resolve("b.safetensors"), log::add);
        assertThat(Files.readAllBytes(dir.resolve("b.safetensors")))
                .isEqualTo(Files.readAllBytes(dir.resolve("a.safetensors")));
    }

    @Test
    void clipsAreSeededAndCaptioned() {
        var a = PatternClips.clip(3, 1, 9, 64, 64);
        var b = PatternClips.clip(3, 1, 9, 64, 64);
        assertThat(a.caption()).isEqualTo(b.caption()).matches("a \\w+ (disc|square) moving [a-z ]+");
        assertThat(a.video().frames()[8]).isEqualTo(b.video().frames()[8]).isNotEqualTo(a.video().frames()[0]);
    }
}
