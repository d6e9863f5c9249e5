package org.ltxfleet.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.config.Setting;
import org.ltxfleet.common.config.Settings;
import org.ltxfleet.infra.api.Distributions;

/**
 * The packaged services as `./mvnw package` leaves them, and the image definition built from
 * them: launchers, settings, libraries and the Dockerfile agree with each other and with the code.
 * (That they run a job is {@code WorkerChurnIT}'s and {@code ProcessFailuresIT}'s part: their
 * gateways and workers are started from these distributions.)
 */
class DistributionIT {

    /** Module → service name of each distribution. */
    private static final Map<String, String> SERVICES = Map.of("api-gateway", "gateway",
            "preprocess-worker", "preprocess-worker", "train-worker", "train-worker");
    private static final Path DOCKERFILE = Path.of("deploy", "images", "Dockerfile");

    @Test
    void eachServiceShipsItsLauncherSettingsAndLibraries() throws Exception {
        for (var service : SERVICES.entrySet()) {
            Path home = Distributions.home(service.getKey(), service.getValue());
            for (String launcher : List.of("ltx-" + service.getValue(), "ltx-health", "ltx-topics")) {
                assertThat(home.resolve("bin").resolve(launcher)).as(launcher).isExecutable();
            }
            for (String conf : List.of("fleet.properties", "jvm.options", "simplelogger.properties")) {
                assertThat(home.resolve("conf").resolve(conf)).isRegularFile();
            }
            assertThat(files(home.resolve("lib"))).as("lib of %s", service.getValue())
                    .anyMatch(jar -> jar.startsWith(service.getKey() + "-"))
                    .anyMatch(jar -> jar.startsWith("slf4j-simple-"));
            Path tar = home.getParent().resolveSibling(home.getParent().getFileName() + ".tar");
            assertThat(tarEntries(tar)).as("the tar holds what the directory holds").isEqualTo(tree(home));
        }
    }

    @Test
    void theGatewayShipsNoModelOrVideoLibraries() throws Exception {
        assertThat(files(Distributions.home("api-gateway", "gateway").resolve("lib")))
                .noneMatch(jar -> jar.startsWith("api-") && jar.contains("0.35") || jar.startsWith("pytorch")
                        || jar.startsWith("javacv") || jar.startsWith("ffmpeg") || jar.startsWith("javacpp")
                        || jar.startsWith("model-"));
        assertThat(files(Distributions.home("preprocess-worker", "preprocess-worker").resolve("lib")))
                .anyMatch(jar -> jar.startsWith("ffmpeg-") && jar.contains("linux-x86_64"))
                .anyMatch(jar -> jar.startsWith("pytorch-native-cpu"));
    }

    @Test
    void theDefaultSettingsNameOnlyKnownKeys() throws Exception {
        Set<String> known = Settings.ALL.stream().map(Setting::key).collect(Collectors.toSet());
        for (var service : SERVICES.entrySet()) {
            var settings = new Properties();
            try (var in = Files.newBufferedReader(Distributions.home(service.getKey(), service.getValue())
                    .resolve("conf/fleet.properties"))) {
                settings.load(in);
            }
            assertThat(settings.stringPropertyNames()).isNotEmpty().allMatch(known::contains);
            assertThat(settings.getProperty("worker.health.port")).isEqualTo("9090");
        }
    }

    @Test
    void theLauncherRefusesAMissingSettingsFileByName() throws Exception {
        Path launcher = Distributions.launcher("api-gateway", "gateway");
        var process = new ProcessBuilder(launcher.toString(), "/nonexistent/fleet.properties").redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("no settings file at /nonexistent/fleet.properties");
    }

    @Test
    void ltxTopicsMakesTheFleetsTopicsOnceAndReportsThemAfter(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        try (var kafka = org.ltxfleet.infra.stack.EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            Path settings = dir.resolve("fleet.properties");
            Files.writeString(settings, "kafka.bootstrap.servers=" + kafka.bootstrapServers()
                    + "\ntopics.replication.factor=1\n");
            Path topics = Distributions.home("api-gateway", "gateway").resolve("bin/ltx-topics");
            String first = runToEnd(topics, settings);
            assertThat(first).contains("created ltx.jobs").contains("created ltx.billing");
            assertThat(runToEnd(topics, settings)).contains("exists  ltx.jobs").doesNotContain("created");
        }
    }

    private static String runToEnd(Path launcher, Path settings) throws Exception {
        var builder = new ProcessBuilder(launcher.toString(), settings.toString()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void theHealthCheckOfTheImageReadsTheProbe() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health/live", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/health/ready", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
        try {
            Path check = Distributions.home("train-worker", "train-worker").resolve("bin/ltx-health");
            assertThat(run(check, server.getAddress().getPort(), "/health/live")).isZero();
            assertThat(run(check, server.getAddress().getPort(), "/health/ready")).isEqualTo(1);
        } finally {
            server.stop(0);
        }
        assertThat(run(Distributions.home("api-gateway", "gateway").resolve("bin/ltx-health"), freePort(), "/health/live"))
                .as("nothing listening").isNotZero();
    }

    @Test
    void theImageCopiesAllOfEachDistribution() throws Exception {
        // DockerfileTest checks the targets; here: what they copy is what the assembly writes.
        DockerStages docker = DockerStages.read(DOCKERFILE);
        List<String> copied = docker.stage("service").all("COPY").stream().map(c -> c.split("\\s+")[0]).toList();
        assertThat(copied).containsExactlyInAnyOrder("bin/", "conf/", "lib/");
        for (var service : SERVICES.entrySet()) {
            Path home = Distributions.home(service.getKey(), service.getValue());
            assertThat(tree(home).stream().map(p -> p.substring(0, p.indexOf('/') + 1)).collect(Collectors.toSet()))
                    .as("the image copies all of %s", service.getValue()).isEqualTo(Set.copyOf(copied));
        }
        Path train = Distributions.home("train-worker", "train-worker");
        assertThat(files(train.resolve("lib"))).as("the CPU natives the train-gpu target removes by this name")
                .anyMatch(f -> f.startsWith("pytorch-native-cpu-"));
    }

    private static int run(Path check, int port, String path) throws Exception {
        var builder = new ProcessBuilder(check.toString(), path).redirectErrorStream(true);
        builder.environment().put("LTX_HEALTH_PORT", Integer.toString(port));
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static List<String> files(Path dir) throws IOException {
        try (var list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Every regular file under {@code home}, relative to it, with {@code /} separators. */
    private static Set<String> tree(Path home) throws IOException {
        try (var walk = Files.walk(home)) {
            return walk.filter(Files::isRegularFile).map(p -> home.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** The tar's regular files without its base directory. */
    private static Set<String> tarEntries(Path tar) throws IOException {
        var names = new TreeSet<String>();
        try (var in = new TarArchiveInputStream(Files.newInputStream(tar))) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.isFile()) {
                    names.add(entry.getName().substring(entry.getName().indexOf('/') + 1));
                }
            }
        }
        return names;
    }
}
