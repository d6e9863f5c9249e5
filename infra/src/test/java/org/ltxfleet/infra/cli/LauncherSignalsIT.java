package org.ltxfleet.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ./fleet} started in the background from a script (SIGINT ignored, as a shell's {@code &}
 * leaves it) still stops on SIGINT and SIGTERM: the launcher restores their default action for the
 * JVM, whose shutdown hooks then stop the stack.
 */
class LauncherSignalsIT {

    private static final Path SIGNALS = Path.of("..", "bin", "signals.sh").toAbsolutePath().normalize();

    @Test
    void sigintStopsAJvmStartedWithSigintIgnored() throws Exception {
        Process jvm = start(true);
        signal(jvm, "INT");
        assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).as("stopped on SIGINT").isTrue();
        assertThat(new String(jvm.getInputStream().readAllBytes())).contains("shutdown hook ran");
    }

    @Test
    void sigtermStopsItToo() throws Exception {
        Process jvm = start(true);
        signal(jvm, "TERM");
        assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
    }

    @Test
    void withoutTheLauncherTheIgnoredSigintIsKept() throws Exception {
        // What the launcher fixes: the same start without it shrugs SIGINT off.
        Process jvm = start(false);
        try {
            signal(jvm, "INT");
            assertThat(jvm.waitFor(3, TimeUnit.SECONDS)).isFalse();
        } finally {
            jvm.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** A JVM started as a script's background job would start it, through the launcher's prefix or not. */
    private static Process start(boolean throughLauncher) throws Exception {
        assertThat(Files.exists(SIGNALS)).isTrue();
        String java = ProcessHandle.current().info().command().orElse("java");
        String command = "trap '' INT; . '" + SIGNALS + "'; exec " + (throughLauncher ? "$(fleet_default_signals) " : "")
                + "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' '" + Waiter.class.getName() + "'";
        Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        var out = new BufferedReader(new InputStreamReader(process.getInputStream()));
        assertThat(out.readLine()).isEqualTo("waiting");
        return process;
    }

    private static void signal(Process process, String name) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor()).isZero();
    }

    /** Waits until stopped, saying so from its shutdown hook. */
    public static final class Waiter {
        public static void main(String[] args) throws InterruptedException {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
            System.out.println("waiting");
            System.out.flush();
            Thread.currentThread().join();
        }
    }
}
