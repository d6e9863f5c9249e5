package org.ltxfleet.gateway.webhook;

import java.nio.file.Path;
import org.ltxfleet.common.config.Settings;

/**
 * {@code webhook.keys.file} does not exist and cannot be made where it is named (a read-only
 * mount, such as a Kubernetes Secret): the gateway cannot start. Its message is one line that says
 * which setting, which path, and how to make the file.
 */
public final class MissingKeyFileException extends IllegalStateException {

    /** The command of the repository's CLI that writes a key file the gateway reads. */
    public static final String MAKE_COMMAND = "./fleet keys webhook --out";

    /** {@code file} is missing and could not be created, for {@code cause}. */
    public MissingKeyFileException(Path file, Exception cause) {
        super(message(file), cause);
    }

    private static String message(Path file) {
        var setting = Settings.WEBHOOK_KEYS_FILE;
        return "setting " + setting.key() + " (" + setting.envName() + "): " + file + " does not exist and cannot be "
                + "made there (its directory is not writable, e.g. a read-only Secret mount); make one with `"
                + MAKE_COMMAND + " " + file.getFileName() + "` and mount it at " + file;
    }
}
