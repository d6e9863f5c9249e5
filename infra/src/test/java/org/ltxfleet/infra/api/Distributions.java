package org.ltxfleet.infra.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the service distributions built by {@code ./mvnw package} lie, for tests that start them. */
public final class Distributions {

    private Distributions() {
    }

    /**
     * The root of {@code service}'s distribution directory ({@code bin/}, {@code conf/},
     * {@code lib/}), built by module {@code module} into {@code target/ltx-<service>-<version>/}.
     */
    public static Path home(String module, String service) throws IOException {
        Path target = Path.of("..", module, "target").toAbsolutePath().normalize();
        try (var built = Files.list(target)) {
            return built.filter(Files::isDirectory)
                    .filter(p -> p.getFileName().toString().startsWith("ltx-" + service + "-"))
                    .map(p -> p.resolve("ltx-" + service))
                    .filter(Files::isDirectory)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no distribution of " + service + " under " + target
                            + ": build it with ./mvnw package"));
        }
    }

    /** The launcher {@code bin/ltx-<service>} of a distribution. */
    public static Path launcher(String module, String service) throws IOException {
        return home(module, service).resolve("bin").resolve("ltx-" + service);
    }
}
