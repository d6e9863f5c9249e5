package org.ltxfleet.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Setting;
import org.ltxfleet.common.config.Settings;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.health.HealthServer;
import org.ltxfleet.common.kafka.TopicSpec;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.preprocess.PreprocessWorker;
import org.ltxfleet.train.TrainWorker;

/**
 * The Kubernetes files under {@code infra/deploy/k8s} against the code they deploy: every file
 * parses; topics are what {@code Topics.specs()} generates; settings keys, environment names,
 * ports and probe paths are the ones the services read and serve; KEDA scales the consumer groups
 * the workers join on the topics they read, up to the partitions that can keep them busy; the
 * alerts and the dashboard query metrics the services export.
 */
class DeployFilesTest {

    private static final Path K8S = Path.of("deploy", "k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<JsonNode> BASE = new ArrayList<>();

    @BeforeAll
    static void readBase() throws IOException {
        try (Stream<Path> files = Files.list(K8S.resolve("base"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                if (!file.getFileName().toString().equals("kustomization.yaml")) {
                    BASE.addAll(documents(file));
                }
            }
        }
    }

    @Test
    void everyFileParsesAndEveryResourceIsNamed() throws IOException {
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                for (JsonNode doc : documents(file)) {
                    if (!file.getFileName().toString().equals("kustomization.yaml")) {
                        assertThat(doc.path("apiVersion").asText()).as("%s apiVersion", file).isNotEmpty();
                        assertThat(doc.path("metadata").path("name").asText()).as("%s name", file).isNotEmpty();
                    }
                }
            }
        }
        assertThat(YAML.readTree(Files.readString(K8S.resolve("base/dashboard.json"))).path("panels")).isNotEmpty();
    }

    @Test
    void kustomizationsNameFilesThatExist() throws IOException {
        for (Path kustomization : List.of(K8S.resolve("base/kustomization.yaml"),
                K8S.resolve("overlays/example/kustomization.yaml"))) {
            JsonNode k = YAML.readTree(kustomization.toFile());
            for (JsonNode resource : k.path("resources")) {
                assertThat(kustomization.resolveSibling(resource.asText())).as("%s in %s", resource, kustomization)
                        .exists();
            }
            for (JsonNode generator : k.path("configMapGenerator")) {
                for (JsonNode file : generator.path("files")) {
                    assertThat(kustomization.resolveSibling(file.asText())).exists();
                }
            }
        }
    }

    @Test
    void topicsAreTheGeneratedOnes() throws IOException {
        assertThat(Files.readString(K8S.resolve("base/topics.yaml")))
                .as("regenerate with org.ltxfleet.infra.deploy.StrimziTopics").isEqualTo(StrimziTopics.yaml());
        assertThat(kinds("KafkaTopic")).extracting(t -> t.path("spec").path("topicName").asText())
                .containsExactlyInAnyOrderElementsOf(Topics.specs().stream().map(TopicSpec::name).toList());
    }

    @Test
    void settingsAndEnvironmentNameOnlyWhatTheServicesRead() throws IOException {
        Set<String> keys = Settings.ALL.stream().map(Setting::key).collect(Collectors.toSet());
        Properties settings = fleetProperties();
        assertThat(settings.stringPropertyNames()).isNotEmpty().allMatch(keys::contains);
        Set<String> envNames = keys.stream().map(FleetConfig::envName).collect(Collectors.toSet());
        // Read by libtorch, not by the fleet: TF32 matmuls on GPU train workers (docs/GPU.md §1).
        envNames.add("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE");
        for (JsonNode container : containers()) {
            for (JsonNode env : container.path("env")) {
                assertThat(envNames).as("env of %s", container.path("name").asText()).contains(env.path("name").asText());
            }
            String settingsFile = container.path("args").path(0).asText();
            String mount = findMount(container, "config");
            assertThat(settingsFile).isEqualTo(mount + "/fleet.properties");
        }
    }

    @Test
    void portsAndProbesAreTheOnesTheServicesServe() throws IOException {
        Properties settings = fleetProperties();
        for (JsonNode container : containers()) {
            String name = container.path("name").asText();
            int expected = name.equals("gateway") ? Integer.parseInt(settings.getProperty("gateway.port"))
                    : Integer.parseInt(settings.getProperty("worker.health.port"));
            JsonNode port = container.path("ports").path(0);
            assertThat(port.path("containerPort").asInt()).as("port of %s", name).isEqualTo(expected);
            assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                    .isEqualTo(HealthServer.READY_PATH);
            assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
                    .isEqualTo(HealthServer.LIVE_PATH);
            assertThat(container.path("readinessProbe").path("httpGet").path("port").asText())
                    .isEqualTo(port.path("name").asText());
            // Without one, a worker that fetches and loads its base model before opening the port is killed by liveness.
            assertThat(container.path("startupProbe").path("httpGet").path("path").asText()).as("startup probe of %s", name)
                    .isEqualTo(HealthServer.LIVE_PATH);
        }
        assertThat(Integer.parseInt(settings.getProperty("gateway.port"))).isEqualTo(Settings.GATEWAY_PORT.defaultValue());
        for (JsonNode deployment : kinds("Deployment")) {
            JsonNode security = deployment.path("spec").path("template").path("spec").path("securityContext");
            assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
            assertThat(security.path("runAsUser").asInt()).as("the image's user").isEqualTo(10001);
        }
    }

    @Test
    void kedaScalesEachWorkerGroupOnItsTopicsUpToTheirPartitions() {
        record Pool(String deployment, String group, List<String> topics) {
        }
        for (Pool pool : List.of(new Pool("ltx-preprocess-worker", PreprocessWorker.GROUP, Topics.jobTopics()),
                new Pool("ltx-train-worker", TrainWorker.GROUP, List.of(Topics.READY)))) {
            JsonNode scaled = kinds("ScaledObject").stream()
                    .filter(s -> s.path("spec").path("scaleTargetRef").path("name").asText().equals(pool.deployment()))
                    .findFirst().orElseThrow();
            var topics = new ArrayList<String>();
            for (JsonNode trigger : scaled.path("spec").path("triggers")) {
                assertThat(trigger.path("type").asText()).isEqualTo("kafka");
                assertThat(trigger.path("metadata").path("consumerGroup").asText()).isEqualTo(pool.group());
                assertThat(trigger.path("metadata").path("lagThreshold").asText()).as("one job per worker").isEqualTo("1");
                topics.add(trigger.path("metadata").path("topic").asText());
            }
            assertThat(topics).containsExactlyInAnyOrderElementsOf(pool.topics());
            int partitions = Topics.specs().stream().filter(s -> pool.topics().contains(s.name()))
                    .mapToInt(TopicSpec::partitions).sum();
            assertThat(scaled.path("spec").path("maxReplicaCount").asInt()).as("busy members at most")
                    .isEqualTo(partitions);
        }
        JsonNode train = kinds("ScaledObject").stream()
                .filter(s -> s.path("metadata").path("name").asText().equals("ltx-train-worker")).findFirst().orElseThrow();
        assertThat(train.path("spec").path("minReplicaCount").asInt()).as("train scales to zero").isZero();
        JsonNode trainPod = deployment("ltx-train-worker").path("spec").path("template").path("spec");
        assertThat(trainPod.path("containers").path(0).path("resources").path("limits").path("nvidia.com/gpu").asInt())
                .isEqualTo(1);
        assertThat(trainPod.path("tolerations").toString()).contains("nvidia.com/gpu");
        assertThat(trainPod.path("terminationGracePeriodSeconds").asInt()).as("time for a checkpoint").isGreaterThanOrEqualTo(120);
        for (String worker : List.of("ltx-preprocess-worker", "ltx-train-worker")) {
            JsonNode pod = deployment(worker).path("spec").path("template").path("spec");
            // The pod must outlive the worker's own wait for its job's hand-back, and then its clients' close.
            long handBack = Settings.WORKER_HAND_BACK_SECONDS.defaultValue();
            for (JsonNode env : pod.path("containers").path(0).path("env")) {
                if (env.path("name").asText().equals(FleetConfig.envName(Settings.WORKER_HAND_BACK_SECONDS.key()))) {
                    handBack = Long.parseLong(env.path("value").asText());
                }
            }
            assertThat(pod.path("terminationGracePeriodSeconds").asLong()).as("grace of %s", worker)
                    .isGreaterThanOrEqualTo(handBack + 20);
        }
        for (JsonNode budget : kinds("PodDisruptionBudget")) {
            String selected = budget.path("spec").path("selector").path("matchLabels").path("app.kubernetes.io/name").asText();
            assertThat(deployment(selected).isMissingNode()).as("PDB %s selects a Deployment", selected).isFalse();
        }
    }

    @Test
    void alertsAndTheDashboardQueryMetricsTheServicesExport() throws IOException {
        Set<String> exported = exportedMetricNames();
        var queries = new StringBuilder();
        for (JsonNode rule : kinds("PrometheusRule").getFirst().path("spec").path("groups").path(0).path("rules")) {
            queries.append(rule.path("expr").asText()).append('\n');
        }
        for (JsonNode panel : YAML.readTree(Files.readString(K8S.resolve("base/dashboard.json"))).path("panels")) {
            panel.path("targets").forEach(t -> queries.append(t.path("expr").asText()).append('\n'));
        }
        Matcher names = Pattern.compile("\\bfleet_[a-z_]+").matcher(queries);
        var used = new HashSet<String>();
        while (names.find()) {
            used.add(names.group());
        }
        assertThat(used).hasSizeGreaterThan(5).allMatch(exported::contains);
        Set<String> eventTypes = Stream.of(EventType.values()).map(EventType::wireName).collect(Collectors.toSet());
        Matcher types = Pattern.compile("job\\.[a-z]+").matcher(queries);
        while (types.find()) {
            assertThat(eventTypes).contains(types.group());
        }
    }

    /** Every name the services register (literals in their sources) with the suffixes Prometheus adds. */
    private static Set<String> exportedMetricNames() throws IOException {
        var names = new HashSet<String>();
        Pattern literal = Pattern.compile("\"(fleet_[a-z_]+)\"");
        for (String module : List.of("../api-gateway/src/main/java", "../common/src/main/java")) {
            try (Stream<Path> sources = Files.walk(Path.of(module))) {
                for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = literal.matcher(Files.readString(source));
                    while (m.find()) {
                        for (String suffix : List.of("", "_total", "_seconds_count", "_seconds_sum", "_seconds_max",
                                "_seconds_bucket")) {
                            names.add(m.group(1) + suffix);
                        }
                    }
                }
            }
        }
        return names;
    }

    private static Properties fleetProperties() throws IOException {
        JsonNode config = kinds("ConfigMap").stream()
                .filter(c -> c.path("metadata").path("name").asText().equals("ltx-fleet-config")).findFirst().orElseThrow();
        var properties = new Properties();
        properties.load(new StringReader(config.path("data").path("fleet.properties").asText()));
        return properties;
    }

    private static String findMount(JsonNode container, String volume) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("name").asText().equals(volume)) {
                return mount.path("mountPath").asText();
            }
        }
        throw new AssertionError(container.path("name").asText() + " mounts no " + volume);
    }

    private static List<JsonNode> containers() {
        var all = new ArrayList<JsonNode>();
        kinds("Deployment").forEach(d -> d.path("spec").path("template").path("spec").path("containers").forEach(all::add));
        assertThat(all).hasSize(3);
        return all;
    }

    private static JsonNode deployment(String name) {
        return kinds("Deployment").stream().filter(d -> d.path("metadata").path("name").asText().equals(name))
                .findFirst().orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
    }

    private static List<JsonNode> kinds(String kind) {
        return BASE.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        var docs = new ArrayList<JsonNode>();
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            var values = YAML.readValues(parser, JsonNode.class);
            while (values.hasNext()) {
                JsonNode doc = values.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }
}
