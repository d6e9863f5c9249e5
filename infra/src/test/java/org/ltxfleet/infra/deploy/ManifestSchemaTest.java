package org.ltxfleet.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every manifest under {@code infra/deploy/k8s} against the real schemas: the base and every
 * overlay (found, not listed) rendered by {@link Kustomization}, then each document validated by
 * {@link ManifestSchemas}: built-in kinds through fabric8's typed model of the Kubernetes API,
 * custom resources (KEDA, Strimzi, Prometheus Operator) against their upstream CRDs kept under
 * {@code src/test/resources/crds} (see the README there), unknown fields being errors in both.
 * The unit cases below show that the checks catch what they are meant to.
 */
class ManifestSchemaTest {

    /** The manifests; -Dmanifests.dir=... checks another copy (say, a commit's, unpacked elsewhere). */
    private static final Path K8S = Path.of(System.getProperty("manifests.dir", "deploy/k8s"));
    private static ManifestSchemas schemas;

    @BeforeAll
    static void loadSchemas() {
        schemas = new ManifestSchemas();
    }

    /** The base and every overlay directory holding a kustomization. */
    static List<Path> kustomizations() throws IOException {
        List<Path> dirs = new ArrayList<>();
        dirs.add(K8S.resolve("base"));
        Path overlays = K8S.resolve("overlays");
        if (Files.isDirectory(overlays)) {
            try (Stream<Path> children = Files.list(overlays)) {
                children.filter(Files::isDirectory).sorted().forEach(dirs::add);
            }
        }
        return dirs;
    }

    @TestFactory
    Stream<DynamicNode> everyRenderedManifestMatchesItsSchema() throws IOException {
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path dir : kustomizations()) {
            String name = K8S.relativize(dir).toString();
            if (!Kustomization.isKustomization(dir)) {
                nodes.add(DynamicTest.dynamicTest(name + ": has a kustomization", () -> assertThat(
                        Kustomization.isKustomization(dir)).as("%s has no kustomization.yaml", dir).isTrue()));
                continue;
            }
            List<Kustomization.Resource> rendered;
            try {
                rendered = Kustomization.build(dir);
            } catch (RuntimeException e) {
                nodes.add(DynamicTest.dynamicTest(name + ": renders", () -> {
                    throw new AssertionError("kustomize build " + dir + " failed: " + e.getMessage(), e);
                }));
                continue;
            }
            List<DynamicNode> docs = new ArrayList<>();
            docs.add(DynamicTest.dynamicTest("renders documents", () -> assertThat(rendered).isNotEmpty()));
            for (Kustomization.Resource r : rendered) {
                docs.add(DynamicTest.dynamicTest(r.kind() + "/" + r.name(), () -> {
                    List<String> problems = schemas.problems(r.doc(), r.origin());
                    assertThat(problems).as("%s in %s", r, name).isEmpty();
                }));
            }
            nodes.add(DynamicContainer.dynamicContainer(name, docs));
        }
        return nodes.stream();
    }

    @Test
    void theCrdsOfEveryCustomKindUsedAreKept() {
        assertThat(schemas.crdSources()).containsKeys("keda.sh/ScaledObject", "keda.sh/TriggerAuthentication",
                "kafka.strimzi.io/KafkaTopic", "kafka.strimzi.io/KafkaUser", "monitoring.coreos.com/PodMonitor",
                "monitoring.coreos.com/PrometheusRule");
    }

    // ---------------------------------------------------------------------------------------------
    // Built-in kinds: typed model, unknown fields and wrong types are errors.

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: d
            spec:
              replicas: 1
              selector:
                matchLabels: {app: d}
              template:
                metadata:
                  labels: {app: d}
                spec:
                  terminationGracePeriodSeconds: 30
                  containers:
                    - name: c
                      image: x
                      ports:
                        - containerPort: 8080
                      resources:
                        requests: {cpu: "1", memory: 2Gi}
            """;

    private static List<String> problems(String yaml) throws IOException {
        List<String> problems = new ArrayList<>();
        for (JsonNode doc : Kustomization.parseDocuments(yaml)) {
            problems.addAll(schemas.problems(doc, "inline"));
        }
        return problems;
    }

    @Test
    void aValidDeploymentPasses() throws IOException {
        assertThat(problems(DEPLOYMENT)).isEmpty();
    }

    @Test
    void aMisspelledFieldDeepInThePodSpecFails() throws IOException {
        assertThat(problems(DEPLOYMENT.replace("terminationGracePeriodSeconds:", "terminationGracePeriodSecond:")))
                .singleElement().asString()
                .contains("Deployment/d", "spec.template.spec.terminationGracePeriodSecond", "unknown field");
        assertThat(problems(DEPLOYMENT.replace("containerPort:", "containerPrt:")))
                .singleElement().asString().contains("spec.template.spec.containers[0].ports[0].containerPrt");
        assertThat(problems(DEPLOYMENT.replace("  replicas: 1", "  replicas: 1\n  strategy: {type: Recreate, maxSurge: 1}")))
                .singleElement().asString().contains("spec.strategy.maxSurge");
    }

    @Test
    void aFieldAtTheWrongLevelFails() throws IOException {
        // terminationGracePeriodSeconds belongs to the pod spec, not the container.
        assertThat(problems(DEPLOYMENT.replace("image: x", "image: x\n          terminationGracePeriodSeconds: 5")))
                .singleElement().asString().contains("spec.template.spec.containers[0].terminationGracePeriodSeconds");
    }

    @Test
    void aWrongTypeFails() throws IOException {
        assertThat(problems(DEPLOYMENT.replace("terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds: \"30\"")))
                .singleElement().asString().contains("spec.template.spec.terminationGracePeriodSeconds");
        assertThat(problems(DEPLOYMENT.replace("replicas: 1", "replicas: one"))).singleElement().asString()
                .contains("spec.replicas");
        assertThat(problems(DEPLOYMENT.replace("replicas: 1", "replicas: 1.5"))).singleElement().asString()
                .contains("spec.replicas");
        // An unquoted number where Kubernetes wants a string (a label value) is refused by the API server too.
        assertThat(problems(DEPLOYMENT.replace("labels: {app: d}", "labels: {app: 1}"))).singleElement().asString()
                .contains("spec.template.metadata.labels");
        assertThat(problems(DEPLOYMENT.replace("memory: 2Gi", "memory: two"))).singleElement().asString()
                .contains("memory", "two");
    }

    @Test
    void anUnknownOrRemovedKindFails() throws IOException {
        assertThat(problems("apiVersion: apps/v1\nkind: Deploymnt\nmetadata: {name: d}\n")).singleElement().asString()
                .contains("unknown kind apps/v1 Deploymnt");
        assertThat(problems("apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec: {maxUnavailable: 1}\n"))
                .singleElement().asString().contains("no longer served");
        assertThat(problems("apiVersion: v1\nkind: ConfigMap\nmetadata: {labels: {a: b}}\n")).singleElement().asString()
                .contains("metadata.name");
    }

    // ---------------------------------------------------------------------------------------------
    // Custom resources: their CRD's schema for the version named, unknown fields are errors.

    private static final String SCALED_OBJECT = """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata:
              name: s
            spec:
              scaleTargetRef:
                name: d
              minReplicaCount: 0
              maxReplicaCount: 6
              triggers:
                - type: kafka
                  metadata:
                    topic: t
                    lagThreshold: "1"
            """;

    private static final String KAFKA_TOPIC = """
            apiVersion: kafka.strimzi.io/v1
            kind: KafkaTopic
            metadata:
              name: t
              labels:
                strimzi.io/cluster: c
            spec:
              topicName: t.t
              partitions: 6
              replicas: 3
              config:
                retention.ms: "-1"
            """;

    @Test
    void validCustomResourcesPass() throws IOException {
        assertThat(problems(SCALED_OBJECT)).isEmpty();
        assertThat(problems(KAFKA_TOPIC)).isEmpty();
    }

    @Test
    void anUnknownFieldInACustomResourceFails() throws IOException {
        assertThat(problems(SCALED_OBJECT.replace("    - type: kafka", "    - type: kafka\n      lagThreshold: \"1\"")))
                .singleElement().asString().contains("lagThreshold", "triggers");
        assertThat(problems(SCALED_OBJECT.replace("  minReplicaCount: 0", "  minReplicas: 0")))
                .singleElement().asString().contains("minReplicas");
        assertThat(problems(KAFKA_TOPIC.replace("  partitions: 6", "  partition: 6")))
                .singleElement().asString().contains("partition");
        assertThat(problems(KAFKA_TOPIC.replace("  name: t\n", "  name: t\n  labls: {}\n")))
                .singleElement().asString().contains("metadata.labls");
    }

    @Test
    void aWrongTypeInACustomResourceFails() throws IOException {
        assertThat(problems(SCALED_OBJECT.replace("maxReplicaCount: 6", "maxReplicaCount: \"six\"")))
                .singleElement().asString().contains("maxReplicaCount");
        assertThat(problems(SCALED_OBJECT.replace("maxReplicaCount: 6", "maxReplicaCount: \"6\"")))
                .singleElement().asString().contains("maxReplicaCount");
        assertThat(problems(SCALED_OBJECT.replace("lagThreshold: \"1\"", "lagThreshold: 1")))
                .singleElement().asString().contains("lagThreshold");
    }

    @Test
    void intOrStringFieldsTakeBoth() throws IOException {
        String monitor = """
                apiVersion: monitoring.coreos.com/v1
                kind: PodMonitor
                metadata: {name: m}
                spec:
                  selector: {matchLabels: {a: b}}
                  podMetricsEndpoints:
                    - targetPort: PORT
                """;
        assertThat(problems(monitor.replace("PORT", "9090"))).isEmpty();
        assertThat(problems(monitor.replace("PORT", "health"))).isEmpty();
        assertThat(problems(monitor.replace("PORT", "[1]"))).isNotEmpty();
    }

    @Test
    void aVersionTheCrdDoesNotServeFails() throws IOException {
        assertThat(problems(KAFKA_TOPIC.replace("kafka.strimzi.io/v1", "kafka.strimzi.io/v1beta2")))
                .singleElement().asString().contains("not a served version");
        assertThat(problems(SCALED_OBJECT.replace("keda.sh/v1alpha1", "keda.sh/v1"))).singleElement().asString()
                .contains("not a served version");
    }

    @Test
    void aCustomResourceNeedsAName() throws IOException {
        assertThat(problems(KAFKA_TOPIC.replace("  name: t\n", ""))).singleElement().asString().contains("metadata.name");
    }
}
