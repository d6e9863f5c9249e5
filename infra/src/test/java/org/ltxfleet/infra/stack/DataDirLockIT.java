package org.ltxfleet.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One stack per data directory: a second is refused before it touches anything, a killed one leaves no lock. */
class DataDirLockIT {

    @Test
    void aSecondStackOnTheSameDirectoryIsRefusedAndTheFirstKeepsServing(@TempDir Path dir) throws Exception {
        try (FleetStack first = FleetStack.start(StackOptions.forTests(dir).withWorkers(false))) {
            assertThatThrownBy(() -> FleetStack.start(StackOptions.forTests(dir).withWorkers(false)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is in use by another fleet").hasMessageContaining(dir.toString());
            var ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(first.gatewayUrl() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
        }
        // Closed: the directory is free again.
        DataDirLock.acquire(dir).close();
    }

    @Test
    void theLockOfAKilledProcessIsReleasedByTheOs(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), dir.toString()).redirectErrorStream(true).start();
        try {
            var out = new BufferedReader(new InputStreamReader(holder.getInputStream()));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> DataDirLock.acquire(dir)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("(pid " + holder.pid() + ")");
        } finally {
            holder.destroyForcibly();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        DataDirLock.acquire(dir).close();
    }

    /** A process that holds a data directory's lock until it is killed. */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            DataDirLock.acquire(Path.of(args[0]));
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
