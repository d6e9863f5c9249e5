package org.ltxfleet.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test renderer {@link Kustomization} on small kustomizations. */
class KustomizationTest {

    @TempDir
    Path dir;

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app
              labels: {app: app}
            spec:
              selector:
                matchLabels: {app: app}
              template:
                metadata:
                  labels: {app: app}
                spec:
                  initContainers:
                    - name: init
                      image: example/app:1.0
                  containers:
                    - name: main
                      image: example/app
                      env:
                        - name: A
                          value: "1"
                        - name: FROM_SECRET
                          valueFrom:
                            secretKeyRef: {name: creds, key: k}
                      envFrom:
                        - configMapRef: {name: settings}
                      volumeMounts:
                        - name: config
                          mountPath: /etc/app
                    - name: sidecar
                      image: example/sidecar:2
                  volumes:
                    - name: config
                      configMap: {name: settings}
                    - name: projected
                      projected:
                        sources:
                          - secret: {name: creds}
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: ns
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: cluster-wide
            """;

    private Path write(String relative, String content) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    private Path base(String kustomization) throws IOException {
        write("base/app.yaml", DEPLOYMENT);
        write("base/kustomization.yaml", kustomization);
        return dir.resolve("base");
    }

    private static JsonNode find(List<JsonNode> docs, String kind, String namePrefix) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)
                && d.path("metadata").path("name").asText().startsWith(namePrefix)).findFirst().orElseThrow();
    }

    private static JsonNode container(JsonNode deployment, String name) {
        for (JsonNode c : deployment.path("spec").path("template").path("spec").path("containers")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no container " + name);
    }

    @Test
    void setsTheNamespaceOnNamespacedResourcesOnly() throws IOException {
        List<JsonNode> docs = Kustomization.render(base("namespace: team\nresources: [app.yaml]\n"));
        assertThat(find(docs, "Deployment", "app").path("metadata").path("namespace").asText()).isEqualTo("team");
        assertThat(find(docs, "Namespace", "ns").path("metadata").has("namespace")).isFalse();
        assertThat(find(docs, "ClusterRole", "cluster-wide").path("metadata").has("namespace")).isFalse();
    }

    @Test
    void rewritesImagesOfContainersAndInitContainers() throws IOException {
        List<JsonNode> docs = Kustomization.render(base("""
                resources: [app.yaml]
                images:
                  - name: example/app
                    newName: registry.test/app
                    newTag: "2.0"
                  - name: example/sidecar
                    digest: sha256:abc
                """));
        JsonNode d = find(docs, "Deployment", "app");
        assertThat(container(d, "main").path("image").asText()).isEqualTo("registry.test/app:2.0");
        assertThat(d.path("spec").path("template").path("spec").path("initContainers").get(0).path("image").asText())
                .isEqualTo("registry.test/app:2.0");
        assertThat(container(d, "sidecar").path("image").asText()).isEqualTo("example/sidecar@sha256:abc");
    }

    @Test
    void generatorsGetAHashSuffixAndReferencesFollow() throws IOException {
        write("base/app.properties", "a=1\n");
        write("base/extra.env", "# comment\nE=2\n");
        Path base = base("""
                resources: [app.yaml]
                configMapGenerator:
                  - name: settings
                    files: [app.properties]
                    literals: [L="x"]
                    envs: [extra.env]
                secretGenerator:
                  - name: creds
                    literals: [k=secret]
                """);
        List<JsonNode> docs = Kustomization.render(base);
        JsonNode cm = find(docs, "ConfigMap", "settings");
        String cmName = cm.path("metadata").path("name").asText();
        assertThat(cmName).matches("settings-[0-9a-f]{10}");
        assertThat(cm.path("data").path("app.properties").asText()).isEqualTo("a=1\n");
        assertThat(cm.path("data").path("L").asText()).isEqualTo("x");
        assertThat(cm.path("data").path("E").asText()).isEqualTo("2");
        assertThat(cm.path("metadata").has("annotations")).isFalse();
        JsonNode secret = find(docs, "Secret", "creds");
        String secretName = secret.path("metadata").path("name").asText();
        assertThat(secret.path("data").path("k").asText()).isEqualTo("c2VjcmV0");
        assertThat(secret.path("type").asText()).isEqualTo("Opaque");

        JsonNode pod = find(docs, "Deployment", "app").path("spec").path("template").path("spec");
        assertThat(pod.path("volumes").get(0).path("configMap").path("name").asText()).isEqualTo(cmName);
        assertThat(pod.path("volumes").get(1).path("projected").path("sources").get(0).path("secret").path("name").asText())
                .isEqualTo(secretName);
        JsonNode main = container(find(docs, "Deployment", "app"), "main");
        assertThat(main.path("envFrom").get(0).path("configMapRef").path("name").asText()).isEqualTo(cmName);
        assertThat(main.path("env").get(1).path("valueFrom").path("secretKeyRef").path("name").asText())
                .isEqualTo(secretName);

        // Stable: same content, same name; other content, other name.
        assertThat(find(Kustomization.render(base), "ConfigMap", "settings").path("metadata").path("name").asText())
                .isEqualTo(cmName);
        write("base/app.properties", "a=2\n");
        assertThat(find(Kustomization.render(base), "ConfigMap", "settings").path("metadata").path("name").asText())
                .isNotEqualTo(cmName);
    }

    @Test
    void anOverlayMergesIntoTheBasesGeneratorAndTheHashCoversTheMerge() throws IOException {
        base("""
                resources: [app.yaml]
                configMapGenerator:
                  - name: settings
                    literals: [A=1, B=2]
                    options:
                      labels: {x: "y"}
                """);
        write("overlay/kustomization.yaml", """
                resources: [../base]
                namespace: team
                configMapGenerator:
                  - name: settings
                    behavior: merge
                    literals: [B=3, C=4]
                """);
        List<JsonNode> docs = Kustomization.render(dir.resolve("overlay"));
        JsonNode cm = find(docs, "ConfigMap", "settings");
        assertThat(cm.path("data").toString()).isEqualTo("{\"A\":\"1\",\"B\":\"3\",\"C\":\"4\"}");
        assertThat(cm.path("metadata").path("labels").path("x").asText()).isEqualTo("y");
        assertThat(cm.path("metadata").path("namespace").asText()).isEqualTo("team");
        String name = cm.path("metadata").path("name").asText();
        assertThat(name).startsWith("settings-").isNotEqualTo(
                find(Kustomization.render(dir.resolve("base")), "ConfigMap", "settings").path("metadata").path("name").asText());
        assertThat(container(find(docs, "Deployment", "app"), "main").path("envFrom").get(0).path("configMapRef")
                .path("name").asText()).isEqualTo(name);

        write("overlay/kustomization.yaml", """
                resources: [../base]
                configMapGenerator:
                  - name: missing
                    behavior: merge
                    literals: [B=3]
                """);
        assertThatThrownBy(() -> Kustomization.render(dir.resolve("overlay"))).hasMessageContaining("missing");
    }

    @Test
    void labelsGoWhereTheyAreAskedFor() throws IOException {
        List<JsonNode> docs = Kustomization.render(base("""
                resources: [app.yaml]
                labels:
                  - pairs: {plain: "1"}
                  - pairs: {tmpl: "1"}
                    includeTemplates: true
                commonLabels: {common: "1"}
                """));
        JsonNode d = find(docs, "Deployment", "app");
        JsonNode meta = d.path("metadata").path("labels");
        JsonNode template = d.path("spec").path("template").path("metadata").path("labels");
        JsonNode selector = d.path("spec").path("selector").path("matchLabels");
        assertThat(meta.has("plain") && meta.has("tmpl") && meta.has("common")).isTrue();
        assertThat(template.has("plain")).isFalse();
        assertThat(template.has("tmpl") && template.has("common")).isTrue();
        assertThat(selector.has("tmpl")).isFalse();
        assertThat(selector.has("common")).isTrue();
    }

    @Test
    void aStrategicMergePatchMergesContainersByNameAndDeletesWithPatchDelete() throws IOException {
        base("resources: [app.yaml]\n");
        write("overlay/patch.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: app
                spec:
                  template:
                    spec:
                      containers:
                        - name: main
                          env:
                            - name: A
                              value: "2"
                            - name: B
                              value: "3"
                          volumeMounts:
                            - name: config
                              mountPath: /etc/app
                              readOnly: true
                          resources:
                            limits: {memory: 1Gi}
                        - name: sidecar
                          $patch: delete
                        - name: added
                          image: example/added
                      volumes:
                        - name: projected
                          $patch: delete
                """);
        write("overlay/kustomization.yaml", "resources: [../base]\npatches:\n  - path: patch.yaml\n");
        JsonNode d = find(Kustomization.render(dir.resolve("overlay")), "Deployment", "app");
        JsonNode pod = d.path("spec").path("template").path("spec");
        assertThat(pod.path("containers")).extracting(c -> c.path("name").asText()).containsExactly("main", "added");
        JsonNode main = container(d, "main");
        assertThat(main.path("image").asText()).isEqualTo("example/app");
        assertThat(main.path("env").toString()).contains("\"name\":\"A\",\"value\":\"2\"")
                .contains("\"name\":\"B\",\"value\":\"3\"").contains("FROM_SECRET");
        assertThat(main.path("volumeMounts")).hasSize(1);
        assertThat(main.path("volumeMounts").get(0).path("readOnly").asBoolean()).isTrue();
        assertThat(main.path("resources").path("limits").path("memory").asText()).isEqualTo("1Gi");
        assertThat(pod.path("volumes")).extracting(v -> v.path("name").asText()).containsExactly("config");
        assertThat(d.toString()).doesNotContain("$patch");
    }

    @Test
    void aJson6902PatchAppliesToItsTargets() throws IOException {
        base("resources: [app.yaml]\n");
        write("overlay/ops.yaml", """
                - op: add
                  path: /spec/template/spec/volumes/-
                  value: {name: extra, emptyDir: {}}
                - op: replace
                  path: /spec/template/spec/containers/0/image
                  value: other/image
                - op: remove
                  path: /spec/template/spec/initContainers
                """);
        write("overlay/kustomization.yaml", """
                resources: [../base]
                patches:
                  - path: ops.yaml
                    target: {kind: Deployment, name: app}
                  - patch: |-
                      - op: add
                        path: /metadata/annotations
                        value: {a: b}
                    target: {kind: Deployment}
                """);
        JsonNode d = find(Kustomization.render(dir.resolve("overlay")), "Deployment", "app");
        JsonNode pod = d.path("spec").path("template").path("spec");
        assertThat(pod.path("volumes").get(2).path("name").asText()).isEqualTo("extra");
        assertThat(container(d, "main").path("image").asText()).isEqualTo("other/image");
        assertThat(pod.has("initContainers")).isFalse();
        assertThat(d.path("metadata").path("annotations").path("a").asText()).isEqualTo("b");
    }

    @Test
    void aPatchThatSelectsNothingFails() throws IOException {
        base("resources: [app.yaml]\n");
        write("overlay/kustomization.yaml", """
                resources: [../base]
                patches:
                  - patch: |-
                      apiVersion: apps/v1
                      kind: Deployment
                      metadata: {name: nope}
                      spec: {replicas: 2}
                """);
        assertThatThrownBy(() -> Kustomization.render(dir.resolve("overlay"))).hasMessageContaining("selects no resource");
    }

    @Test
    void anUnsupportedFieldFailsNamingIt() throws IOException {
        assertThatThrownBy(() -> Kustomization.render(base("resources: [app.yaml]\nnamePrefix: x-\n")))
                .hasMessageContaining("'namePrefix'");
        assertThatThrownBy(() -> Kustomization.render(base("resources: [app.yaml]\nreplicas: [{name: app, count: 2}]\n")))
                .hasMessageContaining("'replicas'");
        assertThatThrownBy(() -> Kustomization.render(base("""
                resources: [app.yaml]
                patches:
                  - path: app.yaml
                    target: {kind: Deployment, labelSelector: "a=b"}
                """))).hasMessageContaining("'labelSelector'");
        assertThatThrownBy(() -> Kustomization.render(base("""
                resources: [app.yaml]
                configMapGenerator:
                  - name: c
                    literals: [a=b]
                    options: {disableNameSuffixHash: true, unknownOption: 1}
                """))).hasMessageContaining("'unknownOption'");
    }

    @Test
    void filesOutsideTheKustomizationAndDuplicateIdsAreRefused() throws IOException {
        write("other/app.yaml", DEPLOYMENT);
        write("overlay/kustomization.yaml", "resources: [../other/app.yaml]\n");
        assertThatThrownBy(() -> Kustomization.render(dir.resolve("overlay"))).hasMessageContaining("not in or below");
        write("base/app2.yaml", DEPLOYMENT);
        assertThatThrownBy(() -> Kustomization.render(base("resources: [app.yaml, app2.yaml]\n")))
                .hasMessageContaining("already registered");
    }
}
