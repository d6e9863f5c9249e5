package org.ltxfleet.infra.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ltxfleet.gateway.webhook.SigningKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./fleet webhooks rotate-key}: a new webhook signing key; the previous ones stay published. */
@Command(name = "webhooks", mixinStandardHelpOptions = true, description = "Manage webhook signing keys.",
        subcommands = WebhooksCommand.RotateKey.class)
final class WebhooksCommand {

    @Command(name = "rotate-key", mixinStandardHelpOptions = true,
            description = "Make a new signing key. Restart the stack to sign with it; the JWKS keeps the "
                    + "previous keys, so deliveries already signed still verify.")
    static final class RotateKey implements Callable<Integer> {

        @Option(names = "--data-dir", description = "the stack's data directory (default: ${DEFAULT-VALUE})")
        Path dataDir = Path.of(".fleet");

        @Override
        public Integer call() throws Exception {
            var keys = SigningKeys.load(dataDir.resolve("webhook-keys.json"));
            var key = keys.rotate();
            System.out.println("new signing key " + key.kid() + "; published keys: " + keys.jwks());
            return 0;
        }
    }
}
