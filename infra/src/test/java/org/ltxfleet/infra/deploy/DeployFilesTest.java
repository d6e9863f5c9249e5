package org.ltxfleet.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Setting;
import org.ltxfleet.common.config.Settings;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.health.HealthServer;
import org.ltxfleet.common.kafka.KafkaConnection;
import org.ltxfleet.common.kafka.TopicSpec;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.preprocess.PreprocessWorker;
import org.ltxfleet.train.TrainWorker;

/**
 * The Kubernetes files under {@code infra/deploy/k8s} against the code they deploy and against
 * what a cluster does with them, on the base and on every overlay as Kustomize renders them:
 * topics are what {@code Topics.specs()} generates; settings keys, environment names, ports and
 * probe paths are the ones the services read and serve; KEDA sums each worker group's lag over
 * its topics into one metric capped at their partitions, with the Kafka address, TLS and login
 * the services use; busy pods outlive their hand-back and are the last to go; pods run
 * unprivileged with bounded resources; the alerts query metrics the services (or KEDA and
 * kube-state-metrics) export and fire when nothing reports. Schemas: {@link ManifestSchemaTest}.
 */
class DeployFilesTest {

    private static final Path K8S = Path.of("deploy", "k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Metrics the alerts may use that the fleet does not export: KEDA's operator and kube-state-metrics. */
    private static final Set<String> UPSTREAM_METRICS = Set.of("keda_scaler_metrics_value",
            "keda_scaler_detail_errors_total", "kube_deployment_status_replicas_available", "kube_pod_status_phase",
            "kube_pod_container_status_restarts_total", "kube_pod_container_status_last_terminated_reason");

    private static final Map<Path, List<JsonNode>> RENDERED = new HashMap<>();

    /** The base and every overlay, rendered. */
    private static List<Path> installations() throws IOException {
        var dirs = new ArrayList<Path>(List.of(K8S.resolve("base")));
        try (Stream<Path> overlays = Files.list(K8S.resolve("overlays"))) {
            overlays.filter(Files::isDirectory).sorted().forEach(dirs::add);
        }
        assertThat(dirs).hasSizeGreaterThanOrEqualTo(3);
        return dirs;
    }

    private static List<JsonNode> rendered(Path dir) {
        return RENDERED.computeIfAbsent(dir, Kustomization::render);
    }

    private static List<JsonNode> base() {
        return rendered(K8S.resolve("base"));
    }

    @Test
    void topicsAreTheGeneratedOnes() throws IOException {
        assertThat(Files.readString(K8S.resolve("base/topics.yaml")))
                .as("regenerate with org.ltxfleet.infra.deploy.StrimziTopics").isEqualTo(StrimziTopics.yaml());
        assertThat(kinds(base(), "KafkaTopic")).extracting(t -> t.path("spec").path("topicName").asText())
                .containsExactlyInAnyOrderElementsOf(Topics.specs().stream().map(TopicSpec::name).toList());
        for (Path dir : installations()) {
            for (JsonNode doc : rendered(dir)) {
                if (doc.path("apiVersion").asText().startsWith("kafka.strimzi.io/")) {
                    assertThat(doc.path("apiVersion").asText()).as("%s %s in %s", doc.path("kind").asText(),
                            name(doc), dir).isEqualTo("kafka.strimzi.io/v1");
                }
            }
        }
    }

    @Test
    void settingsAndEnvironmentNameOnlyWhatTheServicesRead() throws IOException {
        Set<String> keys = Settings.ALL.stream().map(Setting::key).collect(Collectors.toSet());
        Set<String> envNames = keys.stream().map(FleetConfig::envName).collect(Collectors.toSet());
        for (Path dir : installations()) {
            List<JsonNode> docs = rendered(dir);
            Properties settings = fleetProperties(docs);
            assertThat(settings.stringPropertyNames()).isNotEmpty().allMatch(keys::contains);
            Map<String, String> env = environment(docs);
            // Kafka client properties pass through as FLEET_KAFKA_*; the connection refuses what a client does not know.
            KafkaConnection.from(FleetConfig.load(null, env));
            assertThat(env.keySet()).as("ltx-fleet-env in %s", dir)
                    .allMatch(n -> envNames.contains(n) || n.startsWith("FLEET_KAFKA_"));
            for (JsonNode container : containers(docs)) {
                for (JsonNode e : container.path("env")) {
                    assertThat(envNames).as("env of %s in %s", container.path("name").asText(), dir)
                            .contains(e.path("name").asText());
                }
                assertThat(container.path("args").path(0).asText())
                        .isEqualTo(findMount(container, "config") + "/fleet.properties");
            }
        }
    }

    @Test
    void aChangedSettingRollsThePodsThatReadIt() {
        // Generated ConfigMaps carry a hash of their content in their name, and the pods name that.
        for (JsonNode deployment : kinds(base(), "Deployment")) {
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            String config = volume(pod, "config").path("configMap").path("name").asText();
            assertThat(config).as("config of %s", name(deployment)).matches("ltx-fleet-config-[a-z0-9]+");
            assertThat(pod.path("containers").path(0).path("envFrom").toString())
                    .containsPattern("\"ltx-fleet-env-[a-z0-9]+\"");
        }
    }

    @Test
    void portsAndProbesAreTheOnesTheServicesServe() {
        for (Path dir : List.of(K8S.resolve("base"))) {
            Properties settings = fleetProperties(rendered(dir));
            for (JsonNode container : containers(rendered(dir))) {
                String name = container.path("name").asText();
                boolean gateway = name.equals("gateway");
                int expected = Integer.parseInt(settings.getProperty(gateway ? "gateway.port" : "worker.health.port"));
                JsonNode port = container.path("ports").path(0);
                assertThat(port.path("containerPort").asInt()).as("port of %s", name).isEqualTo(expected);
                for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                    assertThat(container.path(probe).path("httpGet").path("port").asText()).as("%s of %s", probe, name)
                            .isEqualTo(port.path("name").asText());
                }
                assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                        .isEqualTo(HealthServer.READY_PATH);
                assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
                        .isEqualTo(HealthServer.LIVE_PATH);
                // Without one, a worker that fetches and loads its base model before opening the port is killed by liveness.
                assertThat(container.path("startupProbe").path("httpGet").path("path").asText())
                        .isEqualTo(HealthServer.LIVE_PATH);
                if (gateway) {
                    // Billing totals are in the metrics: never on the public port.
                    int metrics = Integer.parseInt(settings.getProperty(Settings.GATEWAY_METRICS_PORT.key()));
                    assertThat(metrics).isNotEqualTo(expected).isPositive();
                    assertThat(port(container, "metrics")).as("gateway's metrics port").isEqualTo(metrics);
                }
            }
            assertThat(Integer.parseInt(settings.getProperty("gateway.port"))).isEqualTo(Settings.GATEWAY_PORT.defaultValue());
        }
        JsonNode podMonitor = kinds(base(), "PodMonitor").getFirst();
        assertThat(podMonitor.path("spec").path("podMetricsEndpoints")).extracting(e -> e.path("port").asText())
                .containsExactlyInAnyOrder("metrics", "health");
    }

    @Test
    void eachStageScalesOnItsSummedLagUpToItsPartitions() throws IOException {
        record Pool(String deployment, String group, List<String> topics) {
        }
        for (Path dir : installations()) {
            List<JsonNode> docs = rendered(dir);
            for (Pool pool : List.of(new Pool("ltx-preprocess-worker", PreprocessWorker.GROUP, Topics.jobTopics()),
                    new Pool("ltx-train-worker", TrainWorker.GROUP, List.of(Topics.READY)))) {
                JsonNode scaled = scaledObjectOf(docs, pool.deployment());
                JsonNode spec = scaled.path("spec");
                var topics = new ArrayList<String>();
                var triggerNames = new ArrayList<String>();
                for (JsonNode trigger : spec.path("triggers")) {
                    JsonNode meta = trigger.path("metadata");
                    assertThat(trigger.path("type").asText()).isEqualTo("kafka");
                    assertThat(meta.path("consumerGroup").asText()).isEqualTo(pool.group());
                    assertThat(meta.path("lagThreshold").asText()).as("one job per worker").isEqualTo("1");
                    // Each topic's lag capped at its partitions: a member works on its own partition's job only.
                    assertThat(meta.path("allowIdleConsumers").asText("false")).isEqualTo("false");
                    topics.add(meta.path("topic").asText());
                    triggerNames.add(trigger.path("name").asText());
                }
                assertThat(topics).containsExactlyInAnyOrderElementsOf(pool.topics());
                int partitions = Topics.specs().stream().filter(s -> pool.topics().contains(s.name()))
                        .mapToInt(TopicSpec::partitions).sum();
                assertThat(spec.path("maxReplicaCount").asInt()).as("busy members at most").isEqualTo(partitions);
                if (topics.size() > 1) {
                    // The HPA takes the largest of several metrics: the triggers must become one sum.
                    JsonNode modifiers = spec.path("advanced").path("scalingModifiers");
                    Set<String> summed = Set.of(modifiers.path("formula").asText().split("\\s*\\+\\s*"));
                    assertThat(summed).as("formula of %s", pool.deployment())
                            .isEqualTo(Set.copyOf(triggerNames));
                    assertThat(modifiers.path("target").asText()).isEqualTo("1");
                    assertThat(modifiers.path("metricType").asText()).isEqualTo("AverageValue");
                }
                // KEDA owns the count: an apply must not reset it.
                JsonNode deployment = deployment(docs, pool.deployment());
                assertThat(deployment.path("spec").has("replicas")).as("spec.replicas of %s in %s", pool.deployment(), dir)
                        .isFalse();
                assertThat(spec.path("advanced").path("horizontalPodAutoscalerConfig").path("behavior").path("scaleDown")
                        .path("policies")).as("scale-down pace of %s", pool.deployment()).isNotEmpty();
                assertThat(spec.path("fallback").path("replicas").asInt()).as("fallback of %s", pool.deployment())
                        .isPositive();
                assertThat(spec.path("fallback").path("behavior").asText()).isEqualTo("currentReplicasIfHigher");
            }
            assertThat(scaledObjectOf(docs, "ltx-train-worker").path("spec").path("minReplicaCount").asInt())
                    .as("train scales to zero").isZero();
        }
    }

    @Test
    void kedaReachesKafkaAtTheServicesAddressWithTheirLogin() throws IOException {
        for (Path dir : installations()) {
            List<JsonNode> docs = rendered(dir);
            Map<String, String> env = environment(docs);
            String bootstrap = env.get(FleetConfig.envName(Settings.KAFKA_BOOTSTRAP.key()));
            assertThat(bootstrap).as("Kafka address in %s", dir).isNotBlank();
            assertThat(fleetProperties(docs).getProperty(Settings.KAFKA_BOOTSTRAP.key())).isNull();
            // Written once: every other place refers to it.
            String all = docs.toString();
            assertThat(all.split(Pattern.quote(bootstrap), -1)).as("places naming %s in %s", bootstrap, dir).hasSize(2);
            String protocol = env.getOrDefault("FLEET_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT");
            for (JsonNode scaled : kinds(docs, "ScaledObject")) {
                JsonNode target = deployment(docs, scaled.path("spec").path("scaleTargetRef").path("name").asText());
                for (JsonNode trigger : scaled.path("spec").path("triggers")) {
                    JsonNode meta = trigger.path("metadata");
                    assertThat(meta.has("bootstrapServers")).isFalse();
                    assertThat(meta.path("bootstrapServersFromEnv").asText())
                            .isEqualTo(FleetConfig.envName(Settings.KAFKA_BOOTSTRAP.key()));
                    assertThat(target.path("spec").path("template").path("spec").path("containers").path(0)
                            .path("envFrom").toString()).contains("ltx-fleet-env");
                    assertThat(meta.path("tls").asText("disable")).as("tls of %s in %s", name(scaled), dir)
                            .isEqualTo(protocol.endsWith("SSL") ? "enable" : "disable");
                    if (!protocol.startsWith("SASL")) {
                        assertThat(trigger.has("authenticationRef")).isFalse();
                        continue;
                    }
                    String mechanism = env.get("FLEET_KAFKA_SASL_MECHANISM");
                    assertThat(meta.path("sasl").asText()).as("sasl of %s in %s", name(scaled), dir)
                            .isEqualTo(mechanism.toLowerCase(java.util.Locale.ROOT).replace("-", "_")
                                    .replace("scram_sha_", "scram_sha"));
                    JsonNode auth = named(kinds(docs, "TriggerAuthentication"),
                            trigger.path("authenticationRef").path("name").asText());
                    Map<String, JsonNode> refs = new HashMap<>();
                    auth.path("spec").path("secretTargetRef").forEach(r -> refs.put(r.path("parameter").asText(), r));
                    assertThat(refs.get("username").path("key").asText()).isEqualTo(
                            FleetConfig.envName(Settings.KAFKA_SASL_USERNAME.key()));
                    assertThat(refs.get("password").path("key").asText()).isEqualTo(
                            FleetConfig.envName(Settings.KAFKA_SASL_PASSWORD.key()));
                    // The same Secret the services read.
                    assertThat(target.path("spec").path("template").path("spec").path("containers").path(0)
                            .path("envFrom").toString()).contains("\"" + refs.get("password").path("name").asText() + "\"");
                    assertThat(refs).containsKey("ca");
                }
            }
        }
    }

    @Test
    void theKafkaUserMayDoWhatTheServicesDoAndNoMore() throws IOException {
        for (Path dir : installations()) {
            for (JsonNode user : kinds(rendered(dir), "KafkaUser")) {
                var allowed = new HashMap<String, Set<String>>();
                for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                    JsonNode resource = acl.path("resource");
                    String key = resource.path("type").asText() + ":" + resource.path("name").asText() + ":"
                            + resource.path("patternType").asText("literal");
                    var ops = new HashSet<String>();
                    acl.path("operations").forEach(o -> ops.add(o.asText()));
                    assertThat(ops).as("%s in %s", key, dir).doesNotContain("All", "Create", "Delete", "Alter", "AlterConfigs");
                    allowed.put(key, ops);
                }
                for (TopicSpec topic : Topics.specs()) {
                    assertThat(topic.name()).startsWith("ltx.");
                }
                assertThat(allowed.get("topic:ltx.:prefix")).contains("Read", "Write", "Describe", "DescribeConfigs");
                for (String group : List.of(PreprocessWorker.GROUP, TrainWorker.GROUP)) {
                    assertThat(allowed.get("group:" + group + ":literal")).as(group).contains("Read");
                }
                assertThat(allowed.get("group:ltx-webhook-:prefix")).contains("Read");
                assertThat(allowed.get("transactionalId:webhook-dispatch-:prefix")).contains("Write");
                assertThat(user.path("spec").path("authentication").path("password").path("valueFrom")
                        .path("secretKeyRef").path("key").asText())
                        .isEqualTo(FleetConfig.envName(Settings.KAFKA_SASL_PASSWORD.key()));
            }
        }
        assertThat(kinds(rendered(K8S.resolve("overlays/example")), "KafkaUser")).hasSize(1);
    }

    @Test
    void aStoppedWorkerHandsItsJobBackWithinItsGraceAndBusyPodsGoLast() throws IOException {
        for (Path dir : installations()) {
            List<JsonNode> docs = rendered(dir);
            assertThat(Boolean.parseBoolean(fleetProperties(docs).getProperty(Settings.WORKER_POD_DELETION_COST.key())))
                    .as("busy workers mark their pods").isTrue();
            for (String worker : List.of("ltx-preprocess-worker", "ltx-train-worker")) {
                JsonNode pod = deployment(docs, worker).path("spec").path("template").path("spec");
                // The pod must outlive the worker's own wait for its job's hand-back, and then its clients' close.
                long handBack = Settings.WORKER_HAND_BACK_SECONDS.defaultValue();
                for (JsonNode env : pod.path("containers").path(0).path("env")) {
                    if (env.path("name").asText().equals(FleetConfig.envName(Settings.WORKER_HAND_BACK_SECONDS.key()))) {
                        handBack = Long.parseLong(env.path("value").asText());
                    }
                }
                assertThat(pod.path("terminationGracePeriodSeconds").asLong()).as("grace of %s", worker)
                        .isGreaterThanOrEqualTo(handBack + 20);
                // The account that may set its pod's deletion cost.
                String account = pod.path("serviceAccountName").asText();
                JsonNode binding = kinds(docs, "RoleBinding").stream()
                        .filter(b -> b.path("subjects").toString().contains("\"" + account + "\"")).findFirst()
                        .orElseThrow(() -> new AssertionError(worker + "'s account " + account + " has no role"));
                JsonNode role = named(kinds(docs, "Role"), binding.path("roleRef").path("name").asText());
                assertThat(role.path("rules").toString()).contains("\"pods\"").contains("\"patch\"");
                assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isTrue();
            }
            JsonNode trainPod = deployment(docs, "ltx-train-worker").path("spec").path("template").path("spec");
            assertThat(trainPod.path("terminationGracePeriodSeconds").asInt()).as("time for a checkpoint")
                    .isGreaterThanOrEqualTo(120);
        }
        for (JsonNode budget : kinds(base(), "PodDisruptionBudget")) {
            String selected = budget.path("spec").path("selector").path("matchLabels").path("app.kubernetes.io/name").asText();
            assertThat(deployment(base(), selected).isMissingNode()).as("PDB %s selects a Deployment", selected).isFalse();
        }
    }

    @Test
    void theCpuImageAsksForNoGpuAndTheLtxOverlayRunsTheGpuImageOnOne() {
        JsonNode cpu = containers(base()).stream().filter(c -> c.path("name").asText().equals("train-worker"))
                .findFirst().orElseThrow();
        assertThat(cpu.path("resources").toString()).doesNotContain("nvidia.com/gpu");
        List<JsonNode> ltx = rendered(K8S.resolve("overlays/ltx-2.3"));
        JsonNode pod = deployment(ltx, "ltx-train-worker").path("spec").path("template").path("spec");
        JsonNode train = pod.path("containers").path(0);
        assertThat(train.path("image").asText()).contains("train-worker-gpu:");
        assertThat(train.path("resources").path("limits").path("nvidia.com/gpu").asInt()).isEqualTo(1);
        assertThat(pod.path("tolerations").toString()).contains("nvidia.com/gpu");
        // A 16-bit ltx-2.3 base alone is about 46 GB on the host while it loads.
        assertThat(gibibytes(train.path("resources").path("limits").path("memory").asText())).isGreaterThanOrEqualTo(64);
        JsonNode preprocess = deployment(ltx, "ltx-preprocess-worker").path("spec").path("template").path("spec");
        // Gemma-3 12B as float32 on the CPU is about 48 GB.
        assertThat(gibibytes(preprocess.path("containers").path(0).path("resources").path("limits").path("memory")
                .asText())).isGreaterThanOrEqualTo(64);
        Map<String, String> env = environment(ltx);
        assertThat(env).containsEntry("FLEET_MODEL_PRESET", "ltx-2.3");
        String claim = kinds(ltx, "PersistentVolumeClaim").getFirst().path("metadata").path("name").asText();
        for (JsonNode p : List.of(pod, preprocess)) {
            assertThat(volume(p, "models").path("persistentVolumeClaim").path("claimName").asText())
                    .as("models volume").isEqualTo(claim);
            assertThat(volume(p, "models").has("emptyDir")).isFalse();
        }
    }

    @Test
    void podsRunUnprivilegedWithBoundedResourcesAndNoServiceLinks() throws IOException {
        for (Path dir : installations()) {
            List<JsonNode> docs = rendered(dir);
            for (JsonNode deployment : kinds(docs, "Deployment")) {
                String name = name(deployment) + " in " + dir;
                JsonNode pod = deployment.path("spec").path("template").path("spec");
                assertThat(pod.path("enableServiceLinks").asBoolean(true)).as("service links of %s", name).isFalse();
                JsonNode security = pod.path("securityContext");
                assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
                assertThat(security.path("runAsUser").asInt()).as("the image's user").isEqualTo(10001);
                assertThat(security.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
                assertThat(pod.path("serviceAccountName").asText()).as("account of %s", name).isNotEmpty();
                for (JsonNode container : pod.path("containers")) {
                    JsonNode own = container.path("securityContext");
                    assertThat(own.path("allowPrivilegeEscalation").asBoolean(true)).as("%s", name).isFalse();
                    assertThat(own.path("readOnlyRootFilesystem").asBoolean()).as("%s", name).isTrue();
                    assertThat(own.path("capabilities").path("drop").toString()).contains("\"ALL\"");
                    for (String kind : List.of("requests", "limits")) {
                        for (String resource : List.of("cpu", "memory", "ephemeral-storage")) {
                            assertThat(container.path("resources").path(kind).path(resource).asText())
                                    .as("%s.%s of %s", kind, resource, name).isNotEmpty();
                        }
                    }
                    // Written to with a read-only root: /tmp is a volume.
                    assertThat(findMount(container, "scratch")).isEqualTo("/tmp");
                }
                for (JsonNode volume : pod.path("volumes")) {
                    if (volume.has("emptyDir")) {
                        assertThat(volume.path("emptyDir").path("sizeLimit").asText()).as("%s of %s",
                                volume.path("name").asText(), name).isNotEmpty();
                    }
                }
            }
            JsonNode gatewayAccount = named(kinds(docs, "ServiceAccount"), "ltx-fleet-gateway");
            assertThat(gatewayAccount.path("automountServiceAccountToken").asBoolean(true)).isFalse();
            // Every fleet pod is behind a default-deny ingress policy.
            assertThat(kinds(docs, "NetworkPolicy")).anyMatch(p -> p.path("spec").path("podSelector").path("matchLabels")
                    .path("app.kubernetes.io/part-of").asText().equals("ltx-fleet")
                    && !p.path("spec").has("ingress") && p.path("spec").path("policyTypes").toString().contains("Ingress"));
        }
        JsonNode preprocess = containers(base()).stream()
                .filter(c -> c.path("name").asText().equals("preprocess-worker")).findFirst().orElseThrow();
        // Room for the largest download the settings allow.
        assertThat(gibibytes(preprocess.path("resources").path("limits").path("ephemeral-storage").asText()))
                .isGreaterThan(Settings.DOWNLOAD_MAX_BYTES.defaultValue() >> 30);
    }

    @Test
    void alertsFireWhenNothingReportsAndQueryMetricsThatExist() throws IOException {
        Set<String> exported = exportedMetricNames();
        var rules = new HashMap<String, String>();
        for (JsonNode rule : kinds(base(), "PrometheusRule").getFirst().path("spec").path("groups").path(0).path("rules")) {
            rules.put(rule.path("alert").asText(), rule.path("expr").asText());
        }
        var queries = new StringBuilder(String.join("\n", rules.values()));
        for (JsonNode panel : YAML.readTree(Files.readString(K8S.resolve("base/dashboard.json"))).path("panels")) {
            panel.path("targets").forEach(t -> queries.append('\n').append(t.path("expr").asText()));
        }
        Matcher names = Pattern.compile("\\b(fleet|keda|kube)_[a-z_]+").matcher(queries);
        var used = new HashSet<String>();
        while (names.find()) {
            used.add(names.group());
        }
        assertThat(used).hasSizeGreaterThan(5).allMatch(n -> exported.contains(n) || UPSTREAM_METRICS.contains(n));
        Set<String> eventTypes = Stream.of(EventType.values()).map(EventType::wireName).collect(Collectors.toSet());
        Matcher types = Pattern.compile("job\\.[a-z]+").matcher(queries);
        while (types.find()) {
            assertThat(eventTypes).contains(types.group());
        }
        // A counter has no series until a worker counts: with no worker at all, "nothing started" must still hold.
        for (var rule : rules.entrySet()) {
            if (rule.getValue().matches("(?s).*(increase|rate)\\(fleet_worker_[^)]*\\)\\)\\s*==\\s*0.*")) {
                throw new AssertionError(rule.getKey() + " compares a counter that may have no series with 0: "
                        + rule.getValue());
            }
        }
        assertThat(rules.get("LtxJobsStuck")).contains("vector(0)");
        String all = String.join("\n", rules.values());
        assertThat(all).contains("absent(").contains("keda_scaler_detail_errors_total")
                .contains("keda_scaler_metrics_value{scaledObject=\"ltx-train-worker\"}")
                .contains("phase=\"Pending\"").contains("kube_pod_container_status_restarts_total")
                .contains("OOMKilled");
        for (String kind : List.of("PodMonitor", "PrometheusRule")) {
            assertThat(kinds(base(), kind).getFirst().path("metadata").path("labels").path("release").asText())
                    .as("the label kube-prometheus-stack's Prometheus selects %s by", kind).isNotEmpty();
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

    static Properties fleetProperties(List<JsonNode> docs) {
        JsonNode config = kinds(docs, "ConfigMap").stream()
                .filter(c -> name(c).startsWith("ltx-fleet-config")).findFirst().orElseThrow();
        var properties = new Properties();
        try {
            properties.load(new StringReader(config.path("data").path("fleet.properties").asText()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return properties;
    }

    /** The variables of the ConfigMap every container reads its environment settings from. */
    static Map<String, String> environment(List<JsonNode> docs) {
        JsonNode env = kinds(docs, "ConfigMap").stream().filter(c -> name(c).startsWith("ltx-fleet-env"))
                .findFirst().orElseThrow();
        var values = new HashMap<String, String>();
        env.path("data").properties().forEach(e -> values.put(e.getKey(), e.getValue().asText()));
        return values;
    }

    private static int port(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (port.path("name").asText().equals(name)) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError(container.path("name").asText() + " has no port " + name);
    }

    private static JsonNode volume(JsonNode pod, String name) {
        return named(pod.path("volumes"), name);
    }

    private static JsonNode named(Iterable<JsonNode> nodes, String name) {
        for (JsonNode node : nodes) {
            if (node.path("name").asText().equals(name) || name(node).equals(name)) {
                return node;
            }
        }
        throw new AssertionError("nothing named " + name);
    }

    private static double gibibytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Gi|Ti)").matcher(quantity);
        assertThat(m.matches()).as("quantity %s", quantity).isTrue();
        return Long.parseLong(m.group(1)) * (m.group(2).equals("Ti") ? 1024 : 1);
    }

    private static String findMount(JsonNode container, String volume) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("name").asText().equals(volume)) {
                return mount.path("mountPath").asText();
            }
        }
        throw new AssertionError(container.path("name").asText() + " mounts no " + volume);
    }

    private static List<JsonNode> containers(List<JsonNode> docs) {
        var all = new ArrayList<JsonNode>();
        kinds(docs, "Deployment").forEach(d -> d.path("spec").path("template").path("spec").path("containers")
                .forEach(all::add));
        assertThat(all).hasSize(3);
        return all;
    }

    private static JsonNode scaledObjectOf(List<JsonNode> docs, String deployment) {
        return kinds(docs, "ScaledObject").stream()
                .filter(s -> s.path("spec").path("scaleTargetRef").path("name").asText().equals(deployment))
                .findFirst().orElseThrow(() -> new AssertionError("no ScaledObject scales " + deployment));
    }

    private static JsonNode deployment(List<JsonNode> docs, String name) {
        return kinds(docs, "Deployment").stream().filter(d -> name(d).equals(name))
                .findFirst().orElse(MissingNode.getInstance());
    }

    private static String name(JsonNode doc) {
        return doc.path("metadata").path("name").asText();
    }

    private static List<JsonNode> kinds(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }
}
