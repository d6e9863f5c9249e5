package org.ltxfleet.infra.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ltxfleet.gateway.auth.ApiKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./fleet keys create}: adds an API key to the stack's key file. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage API keys.",
        subcommands = KeysCommand.Create.class)
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
}
