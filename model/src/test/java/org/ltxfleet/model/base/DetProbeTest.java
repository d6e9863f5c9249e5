package org.ltxfleet.model.base;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DetProbeTest {
    @Test
    void probe() throws Exception {
        TinyBase.train(new TinyBase.Recipe(16, 300, 33, 256, 256, 1e-3), Path.of(System.getenv("DET_OUT")), s -> {});
    }
}
