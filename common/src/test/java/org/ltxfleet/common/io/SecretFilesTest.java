package org.ltxfleet.common.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {

    @TempDir
    Path dir;

    @Test
    void aSecretIsOwnerOnlyAndReplacesTheOldFileWholeLeavingNothingBehind() throws Exception {
        Path file = dir.resolve("keys").resolve("webhook-keys.json");
        SecretFiles.write(file, "first".getBytes());
        // A file that was readable by others before is replaced, not re-used with its old mode.
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        SecretFiles.write(file, "second".getBytes());

        assertThat(Files.readString(file)).isEqualTo("second");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var left = Files.list(file.getParent())) {
            assertThat(left).containsExactly(file);
        }
    }
}
