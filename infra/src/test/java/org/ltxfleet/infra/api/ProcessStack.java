package org.ltxfleet.infra.api;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Settings;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.infra.stack.FleetStack;
import org.ltxfleet.infra.stack.StackLayout;

/**
 * A stack whose every part is a process of its own, for tests that kill and restart parts. The
 * broker and the store are the embedded ones ({@code ./fleet kafka|s3}, this JVM's class path);
 * the gateway and the workers are started as a user of the packaged fleet starts them, by the
 * launchers of their distributions ({@code bin/ltx-gateway} and so on, built by each service
 * module at {@code package}) with a settings file that points them at that broker and store.
 */
final class ProcessStack implements AutoCloseable {

    static final String API_KEY = "proc-key:proc-secret";

    private final Path dir;
    private final int kafkaPort;
    private final int gatewayPort;
    private final int gatewayMetricsPort;
    private final List<Process> processes = new ArrayList<>();
    private final java.util.Map<String, Process> byName = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Integer> healthPorts = new java.util.concurrent.ConcurrentHashMap<>();

    ProcessStack(Path dir, String settings) throws IOException {
        this.dir = dir;
        this.kafkaPort = freePort();
        this.gatewayPort = freePort();
        this.gatewayMetricsPort = freePort();
        TestStacks.ensureBaseWeights();
        Files.createDirectories(dir);
        // One PyTorch thread per process: the stack's workers share the test machine's cores.
        Files.writeString(dir.resolve("fleet.properties"), "model.dir=" + TestStacks.MODELS.toAbsolutePath()
                + "\ndownload.attempts=1\nmodel.cpu.threads=1\n" + settings);
    }

    /** The stack's layout, for clients that read its addresses. */
    StackLayout layout() {
        return new StackLayout(dir);
    }

    /** The broker's bootstrap address, for readers of the topics. */
    String kafkaBootstrap() {
        return "localhost:" + kafkaPort;
    }

    /** A client of the process gateway. */
    FleetClient client() {
        return new FleetClient(java.net.URI.create("http://127.0.0.1:" + gatewayPort), API_KEY,
                GatewaySettings.ENDPOINT_ID);
    }

    /** The process gateway's Prometheus page, on its port apart from the API. */
    java.net.URI gatewayMetricsUrl() {
        return java.net.URI.create("http://127.0.0.1:" + gatewayMetricsPort + "/metrics");
    }

    /** Starts the broker (on the same port every time) and waits until it is up. */
    Process kafka() throws Exception {
        return start("kafka", "Kafka up", "kafka", "--kafka-port", Integer.toString(kafkaPort));
    }

    /** Starts the store and waits until it is up. */
    Process s3() throws Exception {
        return start("s3", "S3 up", "s3", "--s3-port", "0");
    }

    /** Starts a gateway from its distribution and waits until it serves. */
    Process gateway() throws Exception {
        FleetStack.devKey(layout(), API_KEY);
        return launch("gateway", Distributions.launcher("api-gateway", "gateway"), "gateway up", Map.of());
    }

    /** Starts a worker of {@code stage} named {@code name} from its distribution, with its health probes. */
    Process worker(String stage, String name) throws Exception {
        int port = freePort();
        healthPorts.put(name, port);
        String service = stage + "-worker";
        return launch(name, Distributions.launcher(service, service), "running until stopped", Map.of(
                FleetConfig.envName(Settings.WORKER_NAME.key()), name,
                FleetConfig.envName(Settings.WORKER_HEALTH_PORT.key()), Integer.toString(port)));
    }

    /**
     * The settings file of the stack's services: the stack's settings, the addresses the broker
     * and the store published, and the stack's key files.
     */
    private Path serviceSettings() throws IOException {
        var text = new StringBuilder(Files.readString(dir.resolve("fleet.properties")));
        for (String published : List.of("kafka.address", "s3.address")) {
            text.append('\n').append(Files.readString(dir.resolve(published)));
        }
        text.append("\ngateway.port=").append(gatewayPort)
                .append("\ngateway.metrics.port=").append(gatewayMetricsPort)
                .append("\ngateway.keys.file=").append(layout().apiKeysFile())
                .append("\nwebhook.keys.file=").append(dir.resolve("webhook-keys.json"))
                .append("\nallow.private.urls=true\n");
        Path file = dir.resolve("service.properties");
        Files.writeString(file, text);
        return file;
    }

    private Process launch(String name, Path launcher, String readyLine, Map<String, String> env) throws Exception {
        var command = List.of(launcher.toString(), serviceSettings().toString());
        // The client JIT only except for training: these processes live minutes and mostly wait,
        // and C2's compiling was 40 % of a process's start-up CPU here.
        String jit = name.startsWith("train") ? "" : " -XX:TieredStopAtLevel=1";
        var all = new java.util.HashMap<>(env);
        all.put("JAVA_HOME", System.getProperty("java.home"));
        all.put("JAVA_OPTS", "-Xmx1g" + jit);
        return start(name, readyLine, command, all);
    }

    /** The status {@code GET /health/ready} of the worker named {@code name} answers (-1 when it does not answer). */
    int workerReadiness(String name) {
        return TestStacks.httpStatus(java.net.URI.create("http://127.0.0.1:" + healthPorts.get(name) + "/health/ready"));
    }

    /** What {@code GET /metrics} of the worker named {@code name} answers. */
    String workerMetrics(String name) throws Exception {
        return TestStacks.scrape(java.net.URI.create("http://127.0.0.1:" + healthPorts.get(name) + "/metrics"));
    }

    /** The process last started under {@code name} (a worker's name, or kafka, s3, gateway). */
    Process process(String name) {
        return byName.get(name);
    }

    /** The log of the process named {@code name}. */
    Path log(String name) {
        return dir.resolve("logs").resolve(name + ".log");
    }

    /** Starts a part of the embedded stack ({@code ./fleet kafka|s3 …}) with this JVM's class path. */
    private Process start(String name, String readyLine, String... args) throws Exception {
        var command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-XX:TieredStopAtLevel=1"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.ltxfleet.infra.cli.FleetCli"));
        command.addAll(List.of(args));
        command.addAll(List.of("--data-dir", dir.toString()));
        return start(name, readyLine, command, Map.of());
    }

    private Process start(String name, String readyLine, List<String> command, Map<String, String> env)
            throws Exception {
        Files.createDirectories(dir.resolve("logs"));
        Path log = log(name);
        var builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        long offset = Files.exists(log) ? Files.size(log) : 0;
        Process process = builder.start();
        processes.add(process);
        byName.put(name, process);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            if (text.length() > offset && text.substring((int) offset).contains(readyLine)) {
                return process;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + text);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " did not start within 2 minutes:\n" + Files.readString(log));
    }

    /** SIGKILL: the process dies at once, without its shutdown hooks. */
    static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, waiting for a clean stop; returns the exit status. */
    static int stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            return -1;
        }
        return process.exitValue();
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Stops every part, then keeps the logs under {@code target/process-logs/} for a post-mortem. */
    @Override
    public void close() throws Exception {
        for (Process process : processes.reversed()) {
            if (process.isAlive()) {
                stop(process);
            }
        }
        Path keep = Files.createDirectories(Path.of("target", "process-logs", dir.getFileName().toString()));
        try (var logs = Files.list(dir.resolve("logs"))) {
            for (Path log : logs.toList()) {
                Files.copy(log, keep.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
