package org.ltxfleet.infra.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ltxfleet.gateway.auth.ApiKeys;
import org.ltxfleet.gateway.webhook.SigningKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fleet keys create}: adds an API key to the stack's key file; {@code ./fleet keys webhook}:
 * writes a webhook signing key file for gateways that cannot make their own.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage API keys and webhook key files.",
        subcommands = {KeysCommand.Create.class, KeysCommand.Webhook.class})
final class KeysCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an API key; only its hash is stored. Restart the stack to load it.")
    static final class Create implements Callable<Integer> {

        @Option(names = "--data-dir", description = "the stack's data directory (default: ${DEFAULT-VALUE})")
        Path dataDir = Path.of(".fleet");

        @Override
        public Integer call() throws Exception {
            Path file = dataDir.resolve("api-keys.json");
            String key = ApiKeys.generate();
            ApiKeys.load(file).add(key).save(file);
            System.out.println(key);
            System.err.println("saved its hash to " + file + "; the secret is shown only now");
            return 0;
        }
    }

    @Command(name = "webhook", mixinStandardHelpOptions = true,
            description = "Write a webhook signing key file (webhook.keys.file: Ed25519 keys that sign webhooks and "
                    + "upload grants) for gateways that cannot make it, such as a Kubernetes Secret mount; give "
                    + "every gateway the same file.")
    static final class Webhook implements Callable<Integer> {

        @Option(names = "--out", required = true, description = "the file to write (owner-readable only)")
        Path out;

        @Override
        public Integer call() throws Exception {
            // Replacing a key file would drop the key receivers verify with: rotation adds one instead.
            if (Files.exists(out)) {
                throw new IllegalArgumentException("--out " + out + " exists; to add a key to it, use "
                        + "./fleet webhooks rotate-key");
            }
            var key = SigningKeys.load(out).current();
            System.out.println(out);
            System.err.println("wrote signing key " + key.kid() + " to " + out + "; keep it secret, give every "
                    + "gateway this file (on Kubernetes: in the ltx-fleet-keys Secret, beside api-keys.json) and "
                    + "point webhook.keys.file at it");
            return 0;
        }
    }
}
