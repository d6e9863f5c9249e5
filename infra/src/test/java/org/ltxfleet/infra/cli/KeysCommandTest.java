package org.ltxfleet.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.gateway.webhook.SigningKeys;
import picocli.CommandLine;

class KeysCommandTest {

    @Test
    void webhookWritesAKeyFileTheGatewayLoadsAsItIs(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("webhook-keys.json");
        assertThat(fleet("keys", "webhook", "--out", file.toString())).isZero();

        byte[] written = Files.readAllBytes(file);
        SigningKeys keys = SigningKeys.load(file);
        assertThat(keys.jwks().get("keys")).hasSize(1);
        assertThat(keys.jwks().get("keys").get(0).get("kid").asText()).isEqualTo(keys.current().kid());
        assertThat(Files.readAllBytes(file)).as("loaded as it is, not remade").isEqualTo(written);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void webhookRefusesToReplaceAKeyFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("webhook-keys.json");
        assertThat(fleet("keys", "webhook", "--out", file.toString())).isZero();
        byte[] first = Files.readAllBytes(file);
        // Replacing it would drop the key receivers verify with; rotation adds one instead.
        assertThat(fleet("keys", "webhook", "--out", file.toString())).isNotZero();
        assertThat(Files.readAllBytes(file)).isEqualTo(first);
    }

    private static int fleet(String... args) {
        return new CommandLine(new FleetCli()).execute(args);
    }
}
