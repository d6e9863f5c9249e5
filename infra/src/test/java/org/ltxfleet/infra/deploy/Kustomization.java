package org.ltxfleet.infra.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A small Kustomize renderer for the tests: {@code kustomize build} of a directory, for exactly the
 * features the fleet's manifests use, so that the rendered overlays can be validated without a
 * kustomize binary. Any kustomization field (or sub-field) it does not implement is an error that
 * names it: a feature the renderer lacks can never pass silently.
 *
 * <p>Supported: {@code resources} (files, also multi-document and {@code v1 List}, and directories
 * holding a kustomization, recursively); {@code namespace}; {@code images}; {@code labels} and
 * {@code commonLabels}; {@code configMapGenerator} and {@code secretGenerator} (files, literals,
 * envs, options, behavior create/merge/replace) with a content-hash name suffix and the references
 * to generated names rewritten; {@code patches} (strategic merge by Kubernetes' merge keys, with
 * {@code $patch: delete}/{@code replace}, or JSON 6902 add/replace/remove; with or without a
 * target). As kustomize does, files (not directories) must lie in or below the kustomization's
 * directory, resource ids must be unique, and a generator with behavior merge/replace needs a
 * resource to act on. Unlike kustomize, a patch that selects no resource is an error, and the
 * output keeps the input order (kustomize sorts by kind).
 */
public final class Kustomization {

    /** One rendered document and where it came from. */
    public record Resource(ObjectNode doc, String origin) {
        public String kind() {
            return doc.path("kind").asText();
        }

        public String name() {
            return doc.path("metadata").path("name").asText();
        }

        @Override
        public String toString() {
            return kind() + "/" + name() + " (" + origin + ")";
        }
    }

    /** A kustomization the renderer refuses or cannot build. */
    public static final class KustomizeException extends RuntimeException {
        KustomizeException(String message) {
            super(message);
        }
    }

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final List<String> FILE_NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");
    private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "resources", "namespace", "images",
            "labels", "commonLabels", "configMapGenerator", "secretGenerator", "patches");
    /** Internal marker of a generated resource whose name still needs its hash suffix (as kustomize). */
    private static final String NEEDS_HASH = "internal.kustomize.config.k8s.io/needs-hash";
    private static final Set<String> POD_TEMPLATE_KINDS =
            Set.of("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "ReplicationController");
    /** Kinds that have no namespace (the built-in ones, and the cluster-scoped custom kinds we might meet). */
    static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "Node", "PersistentVolume", "StorageClass",
            "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PriorityClass", "RuntimeClass",
            "IngressClass", "CSIDriver", "CSINode", "VolumeAttachment", "APIService",
            "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding", "PriorityLevelConfiguration", "FlowSchema",
            "ClusterTriggerAuthentication", "ClusterIssuer", "ComponentStatus");

    private Kustomization() {}

    /** {@code kustomize build dir}: the rendered documents. */
    public static List<JsonNode> render(Path dir) {
        return build(dir).stream().map(r -> (JsonNode) r.doc()).toList();
    }

    /** {@code kustomize build dir}: the rendered documents with their origins. */
    public static List<Resource> build(Path dir) {
        List<Resource> resources = accumulate(dir.toAbsolutePath().normalize(), new ArrayList<>());
        addHashes(resources);
        return resources;
    }

    /** Whether a directory holds a kustomization. */
    public static boolean isKustomization(Path dir) {
        return FILE_NAMES.stream().anyMatch(n -> Files.isRegularFile(dir.resolve(n)));
    }

    // ---------------------------------------------------------------------------------------------
    // One level: resources, generators, then the transformers in kustomize's order.

    private static List<Resource> accumulate(Path dir, List<Path> stack) {
        if (stack.contains(dir)) {
            throw new KustomizeException("kustomization cycle: " + stack + " -> " + dir);
        }
        stack.add(dir);
        Path file = kustomizationFile(dir);
        String where = file.toString();
        ObjectNode k = readKustomization(file);
        List<Resource> resources = new ArrayList<>();

        for (JsonNode entry : list(k, "resources", where)) {
            String ref = text(entry, "resources entry", where);
            if (ref.contains("://") || ref.startsWith("github.com/") || ref.contains("?ref=")) {
                throw new KustomizeException(where + ": remote resource " + ref + " is not supported");
            }
            Path p = dir.resolve(ref).normalize();
            List<Resource> loaded;
            if (Files.isDirectory(p)) {
                loaded = accumulate(p, stack);
            } else if (Files.isRegularFile(p)) {
                inRoot(dir, p, "resource", where);
                loaded = readResources(p);
            } else {
                throw new KustomizeException(where + ": resource " + ref + " does not exist");
            }
            for (Resource r : loaded) {
                add(resources, r, where);
            }
        }

        generate(k, "configMapGenerator", dir, where, resources);
        generate(k, "secretGenerator", dir, where, resources);

        for (JsonNode patch : list(k, "patches", where)) {
            patch(patch, dir, where, resources);
        }
        if (k.has("namespace")) {
            String ns = text(k.get("namespace"), "namespace", where);
            setNamespace(resources, ns);
        }
        for (JsonNode l : list(k, "labels", where)) {
            checkKeys(l, Set.of("pairs", "includeSelectors", "includeTemplates"), "labels entry", where);
            boolean selectors = l.path("includeSelectors").asBoolean(false);
            boolean templates = selectors || l.path("includeTemplates").asBoolean(false);
            addLabels(resources, stringMap(l.path("pairs"), "labels pairs", where), templates, selectors);
        }
        if (k.has("commonLabels")) {
            addLabels(resources, stringMap(k.get("commonLabels"), "commonLabels", where), true, true);
        }
        for (JsonNode image : list(k, "images", where)) {
            checkKeys(image, Set.of("name", "newName", "newTag", "digest"), "images entry", where);
            setImage(resources, image, where);
        }
        stack.remove(stack.size() - 1);
        return resources;
    }

    private static Path kustomizationFile(Path dir) {
        List<Path> found = FILE_NAMES.stream().map(dir::resolve).filter(Files::isRegularFile).toList();
        if (found.isEmpty()) {
            throw new KustomizeException(dir + ": no kustomization.yaml");
        }
        if (found.size() > 1) {
            throw new KustomizeException(dir + ": more than one kustomization file: " + found);
        }
        return found.get(0);
    }

    private static ObjectNode readKustomization(Path file) {
        List<JsonNode> docs = readDocuments(file);
        if (docs.size() != 1 || !docs.get(0).isObject()) {
            throw new KustomizeException(file + ": a kustomization is one YAML mapping");
        }
        ObjectNode k = (ObjectNode) docs.get(0);
        for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new KustomizeException(file + ": kustomization field '" + field
                        + "' is not supported by the test renderer (supported: " + new java.util.TreeSet<>(FIELDS) + ")");
            }
        }
        String apiVersion = k.path("apiVersion").asText("kustomize.config.k8s.io/v1beta1");
        String kind = k.path("kind").asText("Kustomization");
        if (!apiVersion.equals("kustomize.config.k8s.io/v1beta1") || !kind.equals("Kustomization")) {
            throw new KustomizeException(file + ": not a kustomize.config.k8s.io/v1beta1 Kustomization: "
                    + apiVersion + " " + kind);
        }
        return k;
    }

    static List<JsonNode> readDocuments(Path file) {
        try {
            return parseDocuments(Files.readString(file));
        } catch (IOException e) {
            throw new KustomizeException(file + ": " + e.getMessage());
        }
    }

    /** The documents of a YAML stream, empty ones left out (a list stays one document, a JSON 6902 patch). */
    static List<JsonNode> parseDocuments(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (JsonParser parser = YAML.createParser(yaml)) {
            while (parser.nextToken() != null) {
                JsonNode doc = YAML.readTree(parser);
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static List<Resource> readResources(Path file) {
        List<Resource> out = new ArrayList<>();
        for (JsonNode doc : readDocuments(file)) {
            if (!doc.isObject()) {
                throw new KustomizeException(file + ": a document that is not a mapping: " + doc);
            }
            if (doc.path("kind").asText().equals("List") && doc.path("apiVersion").asText().equals("v1")) {
                for (JsonNode item : doc.path("items")) {
                    out.add(new Resource((ObjectNode) item, file.toString()));
                }
            } else {
                out.add(new Resource((ObjectNode) doc, file.toString()));
            }
        }
        return out;
    }

    private static void add(List<Resource> resources, Resource r, String where) {
        if (!r.doc().path("kind").isTextual() || !r.doc().path("metadata").path("name").isTextual()) {
            throw new KustomizeException(r.origin() + ": a resource without kind or metadata.name: " + r.doc());
        }
        for (Resource other : resources) {
            if (sameId(other.doc(), r.doc())) {
                throw new KustomizeException(where + ": may not add resource with an already registered id: "
                        + r + " (already from " + other.origin() + ")");
            }
        }
        resources.add(r);
    }

    private static boolean sameId(JsonNode a, JsonNode b) {
        return group(a).equals(group(b)) && a.path("kind").asText().equals(b.path("kind").asText())
                && a.path("metadata").path("name").asText().equals(b.path("metadata").path("name").asText())
                && namespace(a).equals(namespace(b));
    }

    private static String group(JsonNode doc) {
        String apiVersion = doc.path("apiVersion").asText();
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    private static String version(JsonNode doc) {
        String apiVersion = doc.path("apiVersion").asText();
        return apiVersion.substring(apiVersion.indexOf('/') + 1);
    }

    private static String namespace(JsonNode doc) {
        return doc.path("metadata").path("namespace").asText("");
    }

    private static void inRoot(Path dir, Path file, String what, String where) {
        if (!file.normalize().startsWith(dir)) {
            throw new KustomizeException(where + ": " + what + " " + file + " is not in or below " + dir
                    + " (kustomize's load restrictor refuses it)");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Generators.

    private static void generate(ObjectNode k, String field, Path dir, String where, List<Resource> resources) {
        boolean secret = field.equals("secretGenerator");
        for (JsonNode g : list(k, field, where)) {
            checkKeys(g, secret
                    ? Set.of("name", "namespace", "behavior", "files", "literals", "envs", "env", "options", "type")
                    : Set.of("name", "namespace", "behavior", "files", "literals", "envs", "env", "options"),
                    field + " entry", where);
            String name = text(g.get("name"), field + " name", where);
            String behavior = g.path("behavior").asText("create");
            Map<String, String> data = new LinkedHashMap<>();
            Map<String, String> binary = new LinkedHashMap<>();
            for (JsonNode f : list(g, "files", where)) {
                String spec = text(f, field + " file", where);
                int eq = spec.indexOf('=');
                String key = eq < 0 ? Path.of(spec).getFileName().toString() : spec.substring(0, eq);
                Path p = dir.resolve(eq < 0 ? spec : spec.substring(eq + 1)).normalize();
                inRoot(dir, p, field + " file", where);
                byte[] bytes = read(p, where);
                String textValue = utf8(bytes);
                putOnce(textValue != null ? data : binary, key,
                        textValue != null ? textValue : Base64.getEncoder().encodeToString(bytes), name, where);
            }
            for (JsonNode l : list(g, "literals", where)) {
                String spec = text(l, field + " literal", where);
                int eq = spec.indexOf('=');
                if (eq <= 0) {
                    throw new KustomizeException(where + ": " + field + " " + name + ": literal " + spec
                            + " is not KEY=VALUE");
                }
                putOnce(data, spec.substring(0, eq), unquote(spec.substring(eq + 1)), name, where);
            }
            List<JsonNode> envs = new ArrayList<>(list(g, "envs", where));
            if (g.has("env")) {
                envs.add(g.get("env"));
            }
            for (JsonNode e : envs) {
                Path p = dir.resolve(text(e, field + " env file", where)).normalize();
                inRoot(dir, p, field + " env file", where);
                String content = new String(read(p, where), StandardCharsets.UTF_8);
                for (String line : content.split("\r?\n")) {
                    String trimmed = line.strip();
                    if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                        continue;
                    }
                    int eq = trimmed.indexOf('=');
                    if (eq <= 0) {
                        throw new KustomizeException(where + ": " + p + ": line '" + line
                                + "' is not KEY=VALUE (a bare KEY would read the build machine's environment)");
                    }
                    putOnce(data, trimmed.substring(0, eq), trimmed.substring(eq + 1), name, where);
                }
            }
            JsonNode options = g.path("options");
            checkKeys(options, Set.of("disableNameSuffixHash", "labels", "annotations", "immutable"),
                    field + " options", where);

            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            doc.put("apiVersion", "v1");
            doc.put("kind", secret ? "Secret" : "ConfigMap");
            ObjectNode meta = doc.putObject("metadata");
            meta.put("name", name);
            if (g.has("namespace")) {
                meta.put("namespace", g.get("namespace").asText());
            }
            if (options.has("labels")) {
                meta.set("labels", stringMapNode(options.get("labels"), field + " options.labels", where));
            }
            if (options.has("annotations")) {
                meta.set("annotations", stringMapNode(options.get("annotations"), field + " options.annotations", where));
            }
            if (options.path("immutable").asBoolean(false)) {
                doc.put("immutable", true);
            }
            if (secret) {
                doc.put("type", g.path("type").asText("Opaque"));
            }
            ObjectNode dataNode = JsonNodeFactory.instance.objectNode();
            data.forEach((key, v) -> dataNode.put(key, secret
                    ? Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)) : v));
            binary.forEach((key, v) -> {
                if (secret) {
                    dataNode.put(key, v);
                }
            });
            if (!dataNode.isEmpty()) {
                doc.set("data", dataNode);
            }
            if (!secret && !binary.isEmpty()) {
                ObjectNode binaryNode = doc.putObject("binaryData");
                binary.forEach(binaryNode::put);
            }
            boolean hash = !options.path("disableNameSuffixHash").asBoolean(false);
            String origin = field + " " + name + " in " + where;

            Resource existing = resources.stream()
                    .filter(r -> r.kind().equals(doc.get("kind").asText()) && r.name().equals(name)
                            && (!g.has("namespace") || namespace(r.doc()).equals(g.get("namespace").asText())))
                    .findFirst().orElse(null);
            switch (behavior) {
                case "create" -> {
                    if (hash) {
                        annotate(doc, NEEDS_HASH, "true");
                    }
                    add(resources, new Resource(doc, origin), where);
                }
                case "merge", "replace" -> {
                    if (existing == null) {
                        throw new KustomizeException(where + ": " + field + " " + name + " has behavior " + behavior
                                + " but no resource of that name to " + behavior);
                    }
                    ObjectNode old = existing.doc();
                    if (behavior.equals("replace")) {
                        old.remove(List.of("data", "binaryData", "immutable"));
                    }
                    for (String part : List.of("data", "binaryData")) {
                        if (doc.has(part)) {
                            ObjectNode target = old.has(part) ? (ObjectNode) old.get(part) : old.putObject(part);
                            target.setAll((ObjectNode) doc.get(part));
                        }
                    }
                    if (doc.has("immutable")) {
                        old.set("immutable", doc.get("immutable"));
                    }
                    for (String part : List.of("labels", "annotations")) {
                        if (meta.has(part)) {
                            ObjectNode oldMeta = (ObjectNode) old.get("metadata");
                            ObjectNode target = oldMeta.has(part) ? (ObjectNode) oldMeta.get(part) : oldMeta.putObject(part);
                            target.setAll((ObjectNode) meta.get(part));
                        }
                    }
                    if (options.has("disableNameSuffixHash")) {
                        if (hash) {
                            annotate(old, NEEDS_HASH, "true");
                        } else {
                            unannotate(old, NEEDS_HASH);
                        }
                    }
                    int i = resources.indexOf(existing);
                    resources.set(i, new Resource(old, existing.origin() + ", " + behavior + "d by " + origin));
                }
                default -> throw new KustomizeException(where + ": " + field + " " + name + ": behavior '" + behavior
                        + "' is not create, merge or replace");
            }
        }
    }

    private static void putOnce(Map<String, String> data, String key, String value, String name, String where) {
        if (data.put(key, value) != null) {
            throw new KustomizeException(where + ": generator " + name + " has key " + key + " twice");
        }
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static byte[] read(Path p, String where) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new KustomizeException(where + ": cannot read " + p + ": " + e);
        }
    }

    /** The final step at the top level only: generated names get their hash, references follow them. */
    private static void addHashes(List<Resource> resources) {
        Map<String, String> renamed = new LinkedHashMap<>(); // kind|namespace|old name -> new name
        for (Resource r : resources) {
            ObjectNode doc = r.doc();
            boolean needs = doc.path("metadata").path("annotations").path(NEEDS_HASH).asText().equals("true");
            unannotate(doc, NEEDS_HASH);
            if (needs) {
                String old = r.name();
                String renamedTo = old + "-" + hash(doc);
                ((ObjectNode) doc.get("metadata")).put("name", renamedTo);
                renamed.put(r.kind() + "|" + namespace(doc) + "|" + old, renamedTo);
            }
        }
        if (renamed.isEmpty()) {
            return;
        }
        for (Resource r : resources) {
            ObjectNode doc = r.doc();
            String ns = namespace(doc);
            Consumer<JsonNode> cm = ref -> rename(ref, "name", "ConfigMap", ns, renamed);
            Consumer<JsonNode> sec = ref -> rename(ref, "name", "Secret", ns, renamed);
            for (JsonNode pod : podSpecs(doc)) {
                for (JsonNode v : pod.path("volumes")) {
                    cm.accept(v.path("configMap"));
                    rename(v.path("secret"), "secretName", "Secret", ns, renamed);
                    for (JsonNode source : v.path("projected").path("sources")) {
                        cm.accept(source.path("configMap"));
                        sec.accept(source.path("secret"));
                    }
                }
                for (JsonNode s : pod.path("imagePullSecrets")) {
                    sec.accept(s);
                }
                for (String containers : List.of("containers", "initContainers", "ephemeralContainers")) {
                    for (JsonNode c : pod.path(containers)) {
                        for (JsonNode from : c.path("envFrom")) {
                            cm.accept(from.path("configMapRef"));
                            sec.accept(from.path("secretRef"));
                        }
                        for (JsonNode env : c.path("env")) {
                            cm.accept(env.path("valueFrom").path("configMapKeyRef"));
                            sec.accept(env.path("valueFrom").path("secretKeyRef"));
                        }
                    }
                }
            }
            if (group(doc).equals("keda.sh") && (r.kind().equals("TriggerAuthentication"))) {
                for (JsonNode ref : doc.path("spec").path("secretTargetRef")) {
                    sec.accept(ref);
                }
                for (JsonNode ref : doc.path("spec").path("configMapTargetRef")) {
                    cm.accept(ref);
                }
            }
        }
    }

    private static void rename(JsonNode ref, String field, String kind, String ns, Map<String, String> renamed) {
        if (ref instanceof ObjectNode o && o.path(field).isTextual()) {
            String to = renamed.get(kind + "|" + ns + "|" + o.get(field).asText());
            if (to != null) {
                o.put(field, to);
            }
        }
    }

    private static String hash(ObjectNode doc) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        for (String f : List.of("kind", "type", "data", "binaryData", "immutable")) {
            if (doc.has(f)) {
                content.set(f, doc.get(f));
            }
        }
        content.put("name", doc.path("metadata").path("name").asText());
        try {
            Object tree = CANONICAL.treeToValue(content, Object.class);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(CANONICAL.writeValueAsBytes(tree));
            return HexFormat.of().formatHex(digest).substring(0, 10);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void annotate(ObjectNode doc, String key, String value) {
        ObjectNode meta = (ObjectNode) doc.get("metadata");
        ObjectNode a = meta.has("annotations") ? (ObjectNode) meta.get("annotations") : meta.putObject("annotations");
        a.put(key, value);
    }

    private static void unannotate(ObjectNode doc, String key) {
        if (doc.path("metadata").path("annotations") instanceof ObjectNode a) {
            a.remove(key);
            if (a.isEmpty()) {
                ((ObjectNode) doc.get("metadata")).remove("annotations");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Transformers.

    private static void setNamespace(List<Resource> resources, String ns) {
        Set<String> serviceAccounts = new java.util.HashSet<>();
        for (Resource r : resources) {
            if (r.kind().equals("ServiceAccount") && group(r.doc()).isEmpty()) {
                serviceAccounts.add(r.name());
            }
        }
        for (Resource r : resources) {
            if (!CLUSTER_SCOPED.contains(r.kind())) {
                ((ObjectNode) r.doc().get("metadata")).put("namespace", ns);
            }
            if (r.kind().equals("RoleBinding") || r.kind().equals("ClusterRoleBinding")) {
                for (JsonNode s : r.doc().path("subjects")) {
                    if (s.path("kind").asText().equals("ServiceAccount")
                            && serviceAccounts.contains(s.path("name").asText())) {
                        ((ObjectNode) s).put("namespace", ns);
                    }
                }
            }
        }
    }

    private static void addLabels(List<Resource> resources, Map<String, String> labels, boolean templates,
            boolean selectors) {
        for (Resource r : resources) {
            ObjectNode doc = r.doc();
            String kind = r.kind();
            boolean builtin = isBuiltinGroup(group(doc));
            putAll(doc, List.of("metadata", "labels"), labels, true);
            if (!builtin) {
                continue;
            }
            if (templates) {
                if (POD_TEMPLATE_KINDS.contains(kind)) {
                    putAll(doc, List.of("spec", "template", "metadata", "labels"), labels, true);
                }
                if (kind.equals("CronJob")) {
                    putAll(doc, List.of("spec", "jobTemplate", "metadata", "labels"), labels, true);
                    putAll(doc, List.of("spec", "jobTemplate", "spec", "template", "metadata", "labels"), labels, true);
                }
            }
            if (selectors) {
                switch (kind) {
                    case "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet" ->
                            putAll(doc, List.of("spec", "selector", "matchLabels"), labels, true);
                    case "Service", "ReplicationController" -> putAll(doc, List.of("spec", "selector"), labels, true);
                    case "Job" -> putAll(doc, List.of("spec", "selector", "matchLabels"), labels, false);
                    case "CronJob" -> putAll(doc, List.of("spec", "jobTemplate", "spec", "selector", "matchLabels"),
                            labels, false);
                    case "PodDisruptionBudget" -> putAll(doc, List.of("spec", "selector", "matchLabels"), labels, false);
                    case "NetworkPolicy" -> {
                        putAll(doc, List.of("spec", "podSelector", "matchLabels"), labels, false);
                        for (String dir : List.of("ingress", "egress")) {
                            for (JsonNode rule : doc.path("spec").path(dir)) {
                                for (JsonNode peer : rule.path(dir.equals("ingress") ? "from" : "to")) {
                                    putAll((ObjectNode) peer, List.of("podSelector", "matchLabels"), labels, false);
                                }
                            }
                        }
                    }
                    default -> { }
                }
                if (kind.equals("StatefulSet")) {
                    for (JsonNode t : doc.path("spec").path("volumeClaimTemplates")) {
                        putAll((ObjectNode) t, List.of("metadata", "labels"), labels, true);
                    }
                }
            }
        }
    }

    private static boolean isBuiltinGroup(String group) {
        return group.isEmpty() || !group.contains(".") || group.endsWith(".k8s.io");
    }

    /** Puts the labels at path; creates the maps on the way when create, else only where the last map exists. */
    private static void putAll(ObjectNode doc, List<String> path, Map<String, String> labels, boolean create) {
        ObjectNode node = doc;
        for (String step : path) {
            JsonNode next = node.get(step);
            if (next == null || next.isNull()) {
                if (!create) {
                    return;
                }
                next = node.putObject(step);
            }
            if (!(next instanceof ObjectNode o)) {
                return;
            }
            node = o;
        }
        labels.forEach(node::put);
    }

    private static void setImage(List<Resource> resources, JsonNode image, String where) {
        String name = text(image.get("name"), "images name", where);
        for (Resource r : resources) {
            eachContainer(r.doc(), c -> {
                if (!c.path("image").isTextual()) {
                    return;
                }
                String[] parts = splitImage(c.get("image").asText());
                if (!parts[0].equals(name)) {
                    return;
                }
                String newName = image.path("newName").asText(parts[0]);
                String suffix = parts[1];
                if (image.has("newTag")) {
                    suffix = ":" + image.get("newTag").asText();
                }
                if (image.has("digest")) {
                    suffix = "@" + image.get("digest").asText();
                }
                c.put("image", newName + suffix);
            });
        }
    }

    /** Image reference into name and ":tag" / "@digest" / "". */
    static String[] splitImage(String image) {
        int at = image.indexOf('@');
        if (at >= 0) {
            return new String[] {image.substring(0, at), image.substring(at)};
        }
        int colon = image.lastIndexOf(':');
        if (colon > image.lastIndexOf('/')) {
            return new String[] {image.substring(0, colon), image.substring(colon)};
        }
        return new String[] {image, ""};
    }

    /** Every container-like object (in arrays named containers, initContainers, ephemeralContainers). */
    private static void eachContainer(JsonNode node, Consumer<ObjectNode> action) {
        if (node instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                if (Set.of("containers", "initContainers", "ephemeralContainers").contains(e.getKey())
                        && e.getValue().isArray()) {
                    for (JsonNode c : e.getValue()) {
                        if (c instanceof ObjectNode co) {
                            action.accept(co);
                        }
                    }
                } else {
                    eachContainer(e.getValue(), action);
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (JsonNode item : a) {
                eachContainer(item, action);
            }
        }
    }

    /** The pod specs of a workload (its template's, a CronJob's job template's, a Pod's own). */
    static List<JsonNode> podSpecs(JsonNode doc) {
        String kind = doc.path("kind").asText();
        if (POD_TEMPLATE_KINDS.contains(kind) || kind.equals("PodTemplate")) {
            return List.of(kind.equals("PodTemplate") ? doc.path("template").path("spec")
                    : doc.path("spec").path("template").path("spec"));
        }
        if (kind.equals("CronJob")) {
            return List.of(doc.path("spec").path("jobTemplate").path("spec").path("template").path("spec"));
        }
        if (kind.equals("Pod")) {
            return List.of(doc.path("spec"));
        }
        return List.of();
    }

    // ---------------------------------------------------------------------------------------------
    // Patches.

    private static void patch(JsonNode entry, Path dir, String where, List<Resource> resources) {
        checkKeys(entry, Set.of("path", "patch", "target"), "patches entry", where);
        if (entry.has("path") == entry.has("patch")) {
            throw new KustomizeException(where + ": a patches entry needs exactly one of path and patch: " + entry);
        }
        List<JsonNode> docs;
        String source;
        if (entry.has("path")) {
            Path p = dir.resolve(entry.get("path").asText()).normalize();
            inRoot(dir, p, "patch", where);
            if (!Files.isRegularFile(p)) {
                throw new KustomizeException(where + ": patch " + p + " does not exist");
            }
            docs = readDocuments(p);
            source = p.toString();
        } else {
            try {
                docs = parseDocuments(entry.get("patch").asText());
            } catch (IOException e) {
                throw new KustomizeException(where + ": inline patch does not parse: " + e.getMessage());
            }
            source = "inline patch in " + where;
        }
        if (docs.isEmpty()) {
            throw new KustomizeException(where + ": empty patch " + source);
        }
        JsonNode target = entry.get("target");
        if (target != null) {
            checkKeys(target, Set.of("group", "version", "kind", "name", "namespace"), "patches target", where);
        }
        if (docs.size() == 1 && docs.get(0).isArray()) {
            if (target == null) {
                throw new KustomizeException(where + ": JSON 6902 patch " + source + " needs a target");
            }
            List<Resource> selected = select(resources, target);
            if (selected.isEmpty()) {
                throw new KustomizeException(where + ": patch " + source + " selects no resource: " + target);
            }
            for (Resource r : selected) {
                JsonPatch.apply(r.doc(), (ArrayNode) docs.get(0), source + " on " + r);
            }
            return;
        }
        for (JsonNode doc : docs) {
            if (!doc.isObject()) {
                throw new KustomizeException(where + ": patch " + source + " is neither a mapping nor a list");
            }
            ObjectNode smp = ((ObjectNode) doc).deepCopy();
            List<Resource> selected;
            if (target != null) {
                selected = select(resources, target);
            } else {
                selected = resources.stream().filter(r -> r.kind().equals(smp.path("kind").asText())
                        && r.name().equals(smp.path("metadata").path("name").asText())
                        && (!smp.has("apiVersion") || group(r.doc()).equals(group(smp)))
                        && (!smp.path("metadata").has("namespace") || namespace(r.doc()).equals(namespace(smp))))
                        .toList();
            }
            if (selected.isEmpty()) {
                throw new KustomizeException(where + ": patch " + source + " selects no resource"
                        + (target != null ? ": " + target : " (" + smp.path("kind").asText() + "/"
                        + smp.path("metadata").path("name").asText() + ")"));
            }
            smp.remove(List.of("apiVersion", "kind"));
            if (smp.get("metadata") instanceof ObjectNode meta) {
                meta.remove(List.of("name", "namespace"));
                if (meta.isEmpty()) {
                    smp.remove("metadata");
                }
            }
            for (Resource r : selected) {
                if (smp.path("$patch").asText().equals("delete")) {
                    resources.remove(r);
                    continue;
                }
                StrategicMerge.merge(r.doc(), smp, new ArrayList<>(), r.kind(), isBuiltinGroup(group(r.doc())),
                        source + " on " + r);
            }
        }
    }

    private static List<Resource> select(List<Resource> resources, JsonNode target) {
        return resources.stream().filter(r -> {
            JsonNode d = r.doc();
            return matches(target, "group", group(d)) && matches(target, "version", version(d))
                    && matches(target, "kind", r.kind()) && matches(target, "name", r.name())
                    && matches(target, "namespace", namespace(d));
        }).toList();
    }

    private static boolean matches(JsonNode target, String field, String value) {
        if (!target.has(field)) {
            return true;
        }
        return Pattern.compile(target.get(field).asText()).matcher(value).matches();
    }

    /** Strategic merge patch, with Kubernetes' patch merge keys for the built-in kinds' lists. */
    static final class StrategicMerge {
        private StrategicMerge() {}

        static void merge(ObjectNode target, ObjectNode patch, List<String> path, String kind, boolean builtin,
                String what) {
            if (patch.path("$patch").asText().equals("replace")) {
                target.removeAll();
                target.setAll((ObjectNode) strip(patch));
                return;
            }
            for (Map.Entry<String, JsonNode> e : patch.properties()) {
                String key = e.getKey();
                JsonNode pv = e.getValue();
                if (key.equals("$patch")) {
                    if (!pv.asText().equals("merge")) {
                        throw new KustomizeException(what + ": $patch: " + pv.asText() + " at " + path
                                + " is not supported here");
                    }
                    continue;
                }
                if (key.startsWith("$")) {
                    throw new KustomizeException(what + ": strategic merge directive " + key + " at " + path
                            + " is not supported by the test renderer");
                }
                JsonNode tv = target.get(key);
                List<String> sub = new ArrayList<>(path);
                sub.add(key);
                if (pv.isNull()) {
                    target.remove(key);
                } else if (pv.isObject() && tv != null && tv.isObject()) {
                    merge((ObjectNode) tv, (ObjectNode) pv, sub, kind, builtin, what);
                } else if (pv.isArray() && tv != null && tv.isArray() && builtin && mergeKey(sub, kind) != null) {
                    mergeList((ArrayNode) tv, (ArrayNode) pv, sub, mergeKey(sub, kind), kind, what);
                } else {
                    target.set(key, strip(pv));
                }
            }
        }

        private static void mergeList(ArrayNode target, ArrayNode patch, List<String> path, String key, String kind,
                String what) {
            for (JsonNode item : patch) {
                if (!item.isObject()) {
                    throw new KustomizeException(what + ": item " + item + " of " + path + " is not a mapping");
                }
                if (item.path("$patch").asText().equals("replace")) {
                    target.removeAll();
                    for (JsonNode other : patch) {
                        if (other != item) {
                            target.add(strip(other));
                        }
                    }
                    return;
                }
                JsonNode id = item.get(key);
                if (id == null) {
                    throw new KustomizeException(what + ": item of " + path + " without its merge key " + key + ": "
                            + item);
                }
                int found = -1;
                for (int i = 0; i < target.size(); i++) {
                    if (id.equals(target.get(i).get(key))) {
                        found = i;
                        break;
                    }
                }
                if (item.path("$patch").asText().equals("delete")) {
                    if (found < 0) {
                        throw new KustomizeException(what + ": $patch: delete of " + path + " item " + key + "=" + id
                                + " that does not exist");
                    }
                    target.remove(found);
                } else if (found >= 0) {
                    merge((ObjectNode) target.get(found), (ObjectNode) item, path, kind, true, what);
                } else {
                    target.add(strip(item));
                }
            }
        }

        /** Kubernetes' patchMergeKey of the list at path, null for lists that are replaced. */
        static String mergeKey(List<String> path, String kind) {
            String field = path.get(path.size() - 1);
            String parent = path.size() > 1 ? path.get(path.size() - 2) : "";
            return switch (field) {
                case "containers", "initContainers", "ephemeralContainers", "volumes", "env", "imagePullSecrets",
                        "resourceClaims", "schedulingGates" -> "name";
                case "volumeMounts" -> "mountPath";
                case "volumeDevices" -> "devicePath";
                case "hostAliases" -> "ip";
                case "topologySpreadConstraints" -> "topologyKey";
                case "readinessGates" -> "conditionType";
                case "ports" -> Set.of("containers", "initContainers", "ephemeralContainers").contains(parent)
                        ? "containerPort"
                        : kind.equals("Service") && path.equals(List.of("spec", "ports")) ? "port" : null;
                default -> null;
            };
        }

        /** A patch value without its directives. */
        static JsonNode strip(JsonNode node) {
            if (node instanceof ObjectNode o) {
                ObjectNode copy = JsonNodeFactory.instance.objectNode();
                o.properties().forEach(e -> {
                    if (!e.getKey().startsWith("$")) {
                        copy.set(e.getKey(), strip(e.getValue()));
                    }
                });
                return copy;
            }
            if (node instanceof ArrayNode a) {
                ArrayNode copy = JsonNodeFactory.instance.arrayNode();
                a.forEach(item -> copy.add(strip(item)));
                return copy;
            }
            return node;
        }
    }

    /** JSON 6902: add, replace, remove. */
    static final class JsonPatch {
        private JsonPatch() {}

        static void apply(ObjectNode doc, ArrayNode ops, String what) {
            for (JsonNode op : ops) {
                checkKeys(op, Set.of("op", "path", "value", "from"), "JSON 6902 operation", what);
                String name = op.path("op").asText();
                List<String> ptr = pointer(op.path("path").asText(), what);
                if (ptr.isEmpty()) {
                    throw new KustomizeException(what + ": JSON 6902 " + name + " of the whole document");
                }
                JsonNode parent = doc;
                for (String step : ptr.subList(0, ptr.size() - 1)) {
                    parent = child(parent, step);
                    if (parent == null) {
                        throw new KustomizeException(what + ": JSON 6902 " + name + ": path " + op.get("path")
                                + " does not exist");
                    }
                }
                String last = ptr.get(ptr.size() - 1);
                switch (name) {
                    case "add" -> {
                        need(op, what);
                        if (parent instanceof ObjectNode o) {
                            o.set(last, op.get("value").deepCopy());
                        } else if (parent instanceof ArrayNode a) {
                            if (last.equals("-")) {
                                a.add(op.get("value").deepCopy());
                            } else {
                                a.insert(index(a, last, true, what), op.get("value").deepCopy());
                            }
                        } else {
                            throw new KustomizeException(what + ": JSON 6902 add under a scalar: " + op.get("path"));
                        }
                    }
                    case "replace", "remove" -> {
                        if (child(parent, last) == null) {
                            throw new KustomizeException(what + ": JSON 6902 " + name + ": path " + op.get("path")
                                    + " does not exist");
                        }
                        if (name.equals("replace")) {
                            need(op, what);
                        }
                        if (parent instanceof ObjectNode o) {
                            if (name.equals("replace")) {
                                o.set(last, op.get("value").deepCopy());
                            } else {
                                o.remove(last);
                            }
                        } else {
                            ArrayNode a = (ArrayNode) parent;
                            int i = index(a, last, false, what);
                            if (name.equals("replace")) {
                                a.set(i, op.get("value").deepCopy());
                            } else {
                                a.remove(i);
                            }
                        }
                    }
                    default -> throw new KustomizeException(what + ": JSON 6902 op '" + name
                            + "' is not supported by the test renderer (add, replace, remove)");
                }
            }
        }

        private static void need(JsonNode op, String what) {
            if (!op.has("value")) {
                throw new KustomizeException(what + ": JSON 6902 " + op.get("op") + " without value");
            }
        }

        private static JsonNode child(JsonNode parent, String step) {
            if (parent instanceof ObjectNode o) {
                return o.get(step);
            }
            if (parent instanceof ArrayNode a && step.matches("\\d+")) {
                int i = Integer.parseInt(step);
                return i < a.size() ? a.get(i) : null;
            }
            return null;
        }

        private static int index(ArrayNode a, String step, boolean end, String what) {
            if (!step.matches("\\d+") || Integer.parseInt(step) > a.size() - (end ? 0 : 1)) {
                throw new KustomizeException(what + ": JSON 6902 index " + step + " out of range");
            }
            return Integer.parseInt(step);
        }

        private static List<String> pointer(String path, String what) {
            if (path.isEmpty()) {
                return List.of();
            }
            if (!path.startsWith("/")) {
                throw new KustomizeException(what + ": JSON pointer " + path + " does not start with /");
            }
            List<String> steps = new ArrayList<>();
            for (String s : path.substring(1).split("/", -1)) {
                steps.add(s.replace("~1", "/").replace("~0", "~"));
            }
            return steps;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Small helpers.

    private static List<JsonNode> list(JsonNode k, String field, String where) {
        JsonNode v = k.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new KustomizeException(where + ": " + field + " is not a list");
        }
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }

    private static String text(JsonNode v, String what, String where) {
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new KustomizeException(where + ": " + what + " is not a non-empty string: " + v);
        }
        return v.asText();
    }

    static void checkKeys(JsonNode node, Set<String> allowed, String what, String where) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new KustomizeException(where + ": " + what + " is not a mapping: " + node);
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new KustomizeException(where + ": " + what + " field '" + f
                        + "' is not supported by the test renderer (supported: " + new java.util.TreeSet<>(allowed) + ")");
            }
        }
    }

    private static Map<String, String> stringMap(JsonNode node, String what, String where) {
        if (node == null || !node.isObject()) {
            throw new KustomizeException(where + ": " + what + " is not a mapping: " + node);
        }
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new KustomizeException(where + ": " + what + " value of " + e.getKey()
                        + " is not a string (quote it): " + e.getValue());
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static ObjectNode stringMapNode(JsonNode node, String what, String where) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        stringMap(node, what, where).forEach(out::put);
        return out;
    }
}
