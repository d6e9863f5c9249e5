package org.ltxfleet.model.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorFingerprintTest {

    /** 10 000 floats: larger than three windows, so only sampled bytes are read. */
    private static float[] values(int changedAt) {
        float[] values = new float[10_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f;
        }
        if (changedAt >= 0) {
            values[changedAt] += 1;
        }
        return values;
    }

    private static String fingerprint(List<Path> files, Predicate<String> names) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            TensorFingerprint.update(digest, files, names);
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static Path write(Path file, int changedAt) throws IOException {
        new SafetensorsWriter().add("a", DType.F32, new long[] {100, 100}, values(changedAt))
                .add("b", DType.F32, new long[] {3}, new float[] {1, 2, 3}).write(file);
        return file;
    }

    @Test
    void followsTheSampledBytesNotTheFileNameOrSharding(@TempDir Path dir) throws IOException {
        String base = fingerprint(List.of(write(dir.resolve("one.safetensors"), -1)), name -> true);
        assertThat(fingerprint(List.of(write(dir.resolve("renamed.safetensors"), -1)), name -> true)).isEqualTo(base);
        Path b = dir.resolve("b.safetensors");
        new SafetensorsWriter().add("b", DType.F32, new long[] {3}, new float[] {1, 2, 3}).write(b);
        Path a = dir.resolve("a.safetensors");
        new SafetensorsWriter().add("a", DType.F32, new long[] {100, 100}, values(-1)).write(a);
        assertThat(fingerprint(List.of(b, a), name -> true)).as("re-sharded").isEqualTo(base);

        for (int changed : new int[] {0, 5000, 9999}) {
            Path file = write(dir.resolve("changed-" + changed + ".safetensors"), changed);
            assertThat(fingerprint(List.of(file), name -> true)).as("value " + changed).isNotEqualTo(base);
        }
        assertThat(fingerprint(List.of(write(dir.resolve("unread.safetensors"), 2000)), name -> true))
                .as("outside every window").isEqualTo(base);
        assertThat(fingerprint(List.of(write(dir.resolve("filtered.safetensors"), 0)), "b"::equals))
                .isEqualTo(fingerprint(List.of(b), name -> true));
    }
}
