package org.ltxfleet.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Setting;
import org.ltxfleet.common.config.Settings;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code infra/deploy/compose/compose.yaml} against the code and the other deployment files: the
 * services' settings are ones they read, ports agree, the topics come from the distributions'
 * {@code ltx-topics}, the images are the ones the Dockerfile makes and Kubernetes runs, and the
 * GPU train worker is opt-in; the images build from the distributions; the broker and the store keep
 * their data and the store is one the tests run. (SnakeYAML, not Jackson: compose files lean on anchors and merge keys.)
 */
class ComposeFileTest {

    private static final Path COMPOSE = Path.of("deploy", "compose", "compose.yaml");
    private static final List<String> WORKERS = List.of("preprocess-worker", "train-worker", "train-worker-gpu");
    private static final String VERSION = "0.1.0-SNAPSHOT";

    @SuppressWarnings("unchecked")
    private static Map<String, Object> build(Map<String, Object> service) {
        return (Map<String, Object>) service.get("build");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE));
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> env(Map<String, Object> service) {
        return (Map<String, Object>) service.getOrDefault("environment", Map.of());
    }

    @Test
    void theFleetsServicesReadOnlySettingsTheyKnow() throws IOException {
        var services = services();
        assertThat(services).containsKeys("kafka", "s3", "topics", "gateway", "preprocess-worker", "train-worker",
                "train-worker-gpu");
        Set<String> envNames = Settings.ALL.stream().map(Setting::key).map(FleetConfig::envName)
                .collect(Collectors.toSet());
        for (String name : List.of("topics", "gateway", "preprocess-worker", "train-worker", "train-worker-gpu")) {
            Map<String, Object> env = env(services.get(name));
            assertThat(env.keySet()).as("environment of %s", name).isNotEmpty().allMatch(envNames::contains);
            assertThat(env.get("FLEET_KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka:9092");
            assertThat((String) services.get(name).get("image")).as("image of %s", name)
                    .startsWith("ltx-fleet/" + (name.equals("topics") ? "gateway" : name) + ":");
            assertThat(services.get(name).get("build")).as("build of %s", name).isNotNull();
        }
        assertThat(env(services.get("topics")).get("FLEET_TOPICS_REPLICATION_FACTOR")).as("one broker").isEqualTo("1");
        assertThat(services.get("topics").get("entrypoint")).isEqualTo(List.of("/opt/ltx/bin/ltx-topics"));
        assertThat(Files.readString(Path.of("..", "dist", "service.xml"))).contains("dist/bin/ltx-topics");
    }

    @Test
    void portsAndGracePeriodsAgreeWithTheServices() throws IOException {
        var services = services();
        String gatewayPort = (String) env(services.get("gateway")).get("FLEET_GATEWAY_PORT");
        assertThat(gatewayPort).isEqualTo(Integer.toString(Settings.GATEWAY_PORT.defaultValue()));
        assertThat(services.get("gateway").get("ports")).isEqualTo(List.of(gatewayPort + ":" + gatewayPort));
        for (String worker : WORKERS) {
            assertThat(env(services.get(worker)).get("FLEET_WORKER_HEALTH_PORT")).isEqualTo("9090");
            Object set = env(services.get(worker)).get(FleetConfig.envName(Settings.WORKER_HAND_BACK_SECONDS.key()));
            long handBack = set == null ? Settings.WORKER_HAND_BACK_SECONDS.defaultValue() : Long.parseLong(set.toString());
            String grace = services.get(worker).get("stop_grace_period").toString();
            assertThat(Long.parseLong(grace.replace("s", ""))).as("stop grace of %s", worker)
                    .isGreaterThanOrEqualTo(handBack + 20);
        }
        assertThat(services.get("train-worker").get("stop_grace_period").toString()).isEqualTo("180s");
    }

    @Test
    void theGpuTrainWorkerIsOptInAndTheDefaultOneNeedsNoGpu() throws IOException {
        var services = services();
        // Without the NVIDIA runtime a service that reserves a GPU cannot start: never by default.
        assertThat(String.valueOf(services.get("train-worker").get("deploy"))).doesNotContain("nvidia");
        Map<String, Object> gpu = services.get("train-worker-gpu");
        assertThat(gpu.get("profiles")).isEqualTo(List.of("gpu"));
        assertThat(gpu.get("deploy").toString()).contains("driver=nvidia").contains("capabilities=[gpu]");
        assertThat(build(gpu).get("target")).isEqualTo("train-gpu");
        assertThat(gpu.get("image").toString()).startsWith("ltx-fleet/train-worker-gpu:");
        assertThat(env(gpu)).isEqualTo(env(services.get("train-worker")));
    }

    @Test
    void theFleetsImagesAreBuiltFromTheDistributionsAndTheStoreIsPinnedToTheTestedRelease() throws IOException {
        var services = services();
        Path dockerfile = Path.of("deploy", "images", "Dockerfile").toAbsolutePath().normalize();
        for (String name : List.of("topics", "gateway", "preprocess-worker", "train-worker", "train-worker-gpu")) {
            Map<String, Object> build = build(services.get(name));
            String context = build.get("context").toString().replace("${LTX_VERSION:-0.1.0-SNAPSHOT}", VERSION);
            Path contextDir = COMPOSE.getParent().resolve(context).toAbsolutePath().normalize();
            String service = ((Map<?, ?>) build.get("args")).get("SERVICE").toString();
            String module = service.equals("gateway") ? "api-gateway" : service;
            // Where the assembly writes the distribution (DistributionIT checks its content).
            assertThat(contextDir).as("context of %s", name).isEqualTo(Path.of("..", module, "target",
                    "ltx-" + service + "-" + VERSION, "ltx-" + service).toAbsolutePath().normalize());
            assertThat(contextDir.resolve(build.get("dockerfile").toString()).normalize()).as("Dockerfile of %s", name)
                    .isEqualTo(dockerfile);
        }
        Map<String, Object> store = services.get("s3");
        String image = store.get("image").toString();
        assertThat(image).doesNotContain("minio").doesNotEndWith(":latest").contains(":");
        String pom = Files.readString(Path.of("..", "pom.xml"));
        Matcher version = Pattern.compile("<s3proxy.version>([^<]+)</s3proxy.version>").matcher(pom);
        assertThat(version.find()).isTrue();
        assertThat(image).isEqualTo("andrewgaul/s3proxy:" + version.group(1));
        assertThat(store.get("volumes").toString()).contains(":" + env(store).get("JCLOUDS_FILESYSTEM_BASEDIR"));
    }

    @Test
    void linksHandedToClientsPointAtTheStoresPublishedPort() throws IOException {
        var services = services();
        String publicEndpoint = (String) env(services.get("gateway")).get("FLEET_S3_PUBLIC_ENDPOINT");
        assertThat(publicEndpoint).as("s3.public.endpoint").isNotNull();
        URI uri = URI.create(publicEndpoint);
        String internalPort = URI.create(env(services.get("s3")).get("S3PROXY_ENDPOINT").toString()).getPort() + "";
        assertThat(services.get("s3").get("ports")).isEqualTo(List.of(uri.getPort() + ":" + internalPort));
        assertThat(URI.create((String) env(services.get("gateway")).get("FLEET_S3_ENDPOINT")).getHost()).isEqualTo("s3");
    }

    @Test
    void theBrokerWritesItsLogsOnItsVolume() throws IOException {
        Map<String, Object> kafka = services().get("kafka");
        // apache/kafka writes to /tmp/kraft-combined-logs unless told: the volume would keep nothing,
        // and the topics kept for ever (jobs, events, the ledger) would go with the container.
        String logDirs = (String) env(kafka).get("KAFKA_LOG_DIRS");
        assertThat(logDirs).as("KAFKA_LOG_DIRS").isNotNull();
        assertThat(kafka.get("volumes").toString()).contains(":" + logDirs);
    }
}
