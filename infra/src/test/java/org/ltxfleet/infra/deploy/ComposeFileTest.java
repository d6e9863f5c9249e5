package org.ltxfleet.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * train worker gets a GPU. (SnakeYAML, not Jackson: compose files lean on anchors and merge keys.)
 */
class ComposeFileTest {

    private static final Path COMPOSE = Path.of("deploy", "compose", "compose.yaml");

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
        assertThat(services).containsKeys("kafka", "minio", "topics", "gateway", "preprocess-worker", "train-worker");
        Set<String> envNames = Settings.ALL.stream().map(Setting::key).map(FleetConfig::envName)
                .collect(Collectors.toSet());
        for (String name : List.of("topics", "gateway", "preprocess-worker", "train-worker")) {
            Map<String, Object> env = env(services.get(name));
            assertThat(env.keySet()).as("environment of %s", name).isNotEmpty().allMatch(envNames::contains);
            assertThat(env.get("FLEET_KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka:9092");
            assertThat((String) services.get(name).get("image")).as("image of %s", name)
                    .startsWith("ltx-fleet/" + (name.equals("topics") ? "gateway" : name) + ":");
        }
        assertThat(env(services.get("topics")).get("FLEET_TOPICS_REPLICATION_FACTOR")).as("one broker").isEqualTo("1");
        assertThat(services.get("topics").get("entrypoint")).isEqualTo(List.of("/opt/ltx/bin/ltx-topics"));
        assertThat(Files.readString(Path.of("..", "dist", "service.xml"))).contains("dist/bin/ltx-topics");
    }

    @Test
    void portsAndTheGpuAgreeWithTheServices() throws IOException {
        var services = services();
        String gatewayPort = (String) env(services.get("gateway")).get("FLEET_GATEWAY_PORT");
        assertThat(gatewayPort).isEqualTo(Integer.toString(Settings.GATEWAY_PORT.defaultValue()));
        assertThat(services.get("gateway").get("ports")).isEqualTo(List.of(gatewayPort + ":" + gatewayPort));
        for (String worker : List.of("preprocess-worker", "train-worker")) {
            assertThat(env(services.get(worker)).get("FLEET_WORKER_HEALTH_PORT")).isEqualTo("9090");
        }
        assertThat(services.get("train-worker").get("deploy").toString()).contains("driver=nvidia")
                .contains("capabilities=[gpu]");
        assertThat(services.get("train-worker").get("stop_grace_period").toString()).isEqualTo("180s");
        for (String worker : List.of("preprocess-worker", "train-worker")) {
            Object set = env(services.get(worker)).get(FleetConfig.envName(Settings.WORKER_HAND_BACK_SECONDS.key()));
            long handBack = set == null ? Settings.WORKER_HAND_BACK_SECONDS.defaultValue() : Long.parseLong(set.toString());
            String grace = services.get(worker).get("stop_grace_period").toString();
            assertThat(Long.parseLong(grace.replace("s", ""))).as("stop grace of %s", worker)
                    .isGreaterThanOrEqualTo(handBack + 20);
        }
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
