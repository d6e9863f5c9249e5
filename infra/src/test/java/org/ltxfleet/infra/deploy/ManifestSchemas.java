package org.ltxfleet.infra.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * Validates Kubernetes documents against the real schemas: a built-in kind is read into fabric8's
 * typed model (the Kubernetes API's Go types, generated), where a field it does not know or a value
 * of the wrong type is an error; a custom resource is validated against the OpenAPI v3 schema of the
 * version of its CRD that it names (the upstream CRDs under {@code src/test/resources/crds}), where,
 * unlike in the API server, which prunes them, fields the schema does not declare are errors too.
 */
public final class ManifestSchemas {

    /** Built-in API versions that current Kubernetes (1.29+) no longer serves, though fabric8 still models them. */
    private static final Set<String> REMOVED_API_VERSIONS = Set.of("extensions/v1beta1", "apps/v1beta1",
            "apps/v1beta2", "policy/v1beta1", "batch/v1beta1", "autoscaling/v2beta1", "autoscaling/v2beta2",
            "networking.k8s.io/v1beta1", "rbac.authorization.k8s.io/v1beta1", "rbac.authorization.k8s.io/v1alpha1",
            "scheduling.k8s.io/v1beta1", "scheduling.k8s.io/v1alpha1", "storage.k8s.io/v1beta1",
            "flowcontrol.apiserver.k8s.io/v1beta2", "discovery.k8s.io/v1beta1", "node.k8s.io/v1beta1");

    /** Strict: no scalar coercion (a string is no int, an int no string), no floats for ints. */
    static final tools.jackson.databind.ObjectMapper TYPED = strictMapper();
    private static final tools.jackson.databind.ObjectMapper JSON3 = tools.jackson.databind.json.JsonMapper.builder().build();
    private static final ObjectMapper JSON2 = new ObjectMapper();

    private final Map<String, Class<?>> builtins = new TreeMap<>();
    private final Map<String, Crd> crds = new TreeMap<>();
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
    private final Map<String, Schema> compiledSchemas = new java.util.HashMap<>();

    /** A CRD file: its group, kind, scope and the schema of each version. */
    record Crd(String source, String group, String kind, Map<String, JsonNode> served, Set<String> notServed) {}

    /** The built-in kinds on the class path and the CRDs under the test resources' crds/. */
    public ManifestSchemas() {
        loadBuiltins();
        try {
            URL url = ManifestSchemas.class.getClassLoader().getResource("crds");
            if (url == null) {
                throw new IllegalStateException("no crds/ in the test resources");
            }
            Path root = Path.of(url.toURI());
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                    for (JsonNode doc : Kustomization.readDocuments(f)) {
                        if (doc.path("kind").asText().equals("CustomResourceDefinition")) {
                            addCrd(root.relativize(f).toString(), doc);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private void addCrd(String source, JsonNode crd) {
        String group = crd.path("spec").path("group").asText();
        String kind = crd.path("spec").path("names").path("kind").asText();
        Map<String, JsonNode> served = new TreeMap<>();
        Set<String> notServed = new java.util.TreeSet<>();
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("served").asBoolean(false)) {
                served.put(v.path("name").asText(), v.path("schema").path("openAPIV3Schema"));
            } else {
                notServed.add(v.path("name").asText());
            }
        }
        Crd previous = crds.put(group + "/" + kind, new Crd(source, group, kind, served, notServed));
        if (previous != null) {
            throw new IllegalStateException("two CRDs for " + group + "/" + kind + ": " + previous.source() + ", " + source);
        }
    }

    /** The CRDs known, as group/kind to the file. */
    public Map<String, String> crdSources() {
        Map<String, String> out = new TreeMap<>();
        crds.forEach((k, v) -> out.put(k, v.source() + " (serves " + v.served().keySet() + ")"));
        return out;
    }

    private void loadBuiltins() {
        try {
            Enumeration<URL> lists = ManifestSchemas.class.getClassLoader()
                    .getResources("META-INF/services/" + KubernetesResource.class.getName());
            while (lists.hasMoreElements()) {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(lists.nextElement().openStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        String name = line.strip();
                        if (name.isEmpty() || name.startsWith("#")) {
                            continue;
                        }
                        Class<?> cls = Class.forName(name);
                        if (HasMetadata.class.isAssignableFrom(cls) && !KubernetesResourceList.class.isAssignableFrom(cls)) {
                            builtins.put(HasMetadata.getApiVersion(cls) + " " + HasMetadata.getKind(cls), cls);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        if (!builtins.containsKey("apps/v1 Deployment")) {
            throw new IllegalStateException("fabric8's model is not on the class path: " + builtins.keySet());
        }
    }

    /** The problems of one document, empty when it is valid; each names where (origin) and what. */
    public List<String> problems(JsonNode doc, String origin) {
        List<String> problems = new ArrayList<>();
        String apiVersion = doc.path("apiVersion").asText();
        String kind = doc.path("kind").asText();
        String id = kind + "/" + doc.path("metadata").path("name").asText("?") + " in " + origin;
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            problems.add(id + ": no apiVersion or kind");
            return problems;
        }
        if (!doc.path("metadata").path("name").isTextual() || doc.path("metadata").path("name").asText().isEmpty()) {
            problems.add(id + ": metadata.name is missing or not a string");
        }
        Class<?> cls = builtins.get(apiVersion + " " + kind);
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        Crd crd = crds.get(group + "/" + kind);
        if (cls != null) {
            if (REMOVED_API_VERSIONS.contains(apiVersion)) {
                problems.add(id + ": " + apiVersion + " " + kind + " is no longer served by Kubernetes");
            }
            typed(doc, cls, id, problems);
        } else if (crd != null) {
            custom(doc, crd, version, id, problems);
        } else {
            problems.add(id + ": unknown kind " + apiVersion + " " + kind + " (neither a built-in kind in fabric8's model"
                    + " on the test class path nor a CRD under src/test/resources/crds: " + crds.keySet() + ")");
        }
        return problems;
    }

    // ---------------------------------------------------------------------------------------------
    // Built-in kinds.

    private static tools.jackson.databind.ObjectMapper strictMapper() {
        // fabric8 8 is built on Jackson 3 (its Quantity and IntOrString deserializers are Jackson 3's).
        return tools.jackson.databind.json.JsonMapper.builder()
                .enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(tools.jackson.databind.DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .build();
    }

    private static void typed(JsonNode doc, Class<?> cls, String id, List<String> problems) {
        walk(read(doc, cls, "", id, problems), "", id, problems, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static Object read(JsonNode node, Class<?> cls, String prefix, String id, List<String> problems) {
        try {
            return TYPED.readValue(JSON2.writeValueAsString(node), cls);
        } catch (tools.jackson.core.JacksonException e) {
            problems.add(id + ": at " + prefix + path(e) + ": " + e.getOriginalMessage());
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String path(tools.jackson.core.JacksonException e) {
        StringBuilder out = new StringBuilder();
        for (tools.jackson.core.JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "(document)" : out.toString();
    }

    /**
     * Every fabric8 model object under value: unknown fields end up in its additionalProperties
     * (fabric8 puts a @JsonAnySetter on every class, so Jackson's FAIL_ON_UNKNOWN_PROPERTIES never
     * fires); each one found is a problem, named by its JSON path.
     */
    private static void walk(Object value, String path, String id, List<String> problems, Set<Object> seen) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return;
        }
        if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                walk(item, path + "[" + i++ + "]", id, problems, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, id, problems, seen));
            return;
        }
        Class<?> cls = value.getClass();
        if (!cls.getName().startsWith("io.fabric8.") || !seen.add(value)) {
            return;
        }
        if (value instanceof Quantity q) {
            try {
                Quantity.getAmountInBytes(q);
            } catch (RuntimeException e) {
                problems.add(id + ": at " + path.substring(1) + ": quantity '" + q + "' does not parse: " + e.getMessage());
            }
        }
        try {
            Method getter = cls.getMethod("getAdditionalProperties");
            Object extra = getter.invoke(value);
            if (extra instanceof Map<?, ?> m && !m.isEmpty() && !(value instanceof IntOrString)) {
                for (Object key : m.keySet()) {
                    problems.add(id + ": at " + (path + "." + key).substring(1) + ": unknown field '" + key + "' in "
                            + cls.getSimpleName());
                }
            }
        } catch (NoSuchMethodException e) {
            // not a generated model class
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        if (value instanceof IntOrString || value instanceof Quantity) {
            return;
        }
        for (Method m : cls.getMethods()) {
            JsonProperty property = m.getAnnotation(JsonProperty.class);
            if (property != null && m.getParameterCount() == 0 && !property.value().isEmpty()) {
                try {
                    walk(m.invoke(value), path + "." + property.value(), id, problems, seen);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Custom resources.

    private void custom(JsonNode doc, Crd crd, String version, String id, List<String> problems) {
        JsonNode schema = crd.served().get(version);
        if (schema == null) {
            problems.add(id + ": " + crd.group() + "/" + version + " is not a served version of the CRD for " + crd.kind()
                    + " (" + crd.source() + " serves " + crd.served().keySet()
                    + (crd.notServed().isEmpty() ? "" : ", no longer serves " + crd.notServed()) + ")");
            return;
        }
        if (schema.isMissingNode()) {
            problems.add(id + ": the CRD " + crd.source() + " has no openAPIV3Schema for " + version);
            return;
        }
        Schema compiled = compiledSchemas.computeIfAbsent(crd.group() + "/" + crd.kind() + "/" + version, k -> {
            try {
                return registry.getSchema(JSON3.readTree(JSON2.writeValueAsString(strictSchema(schema))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        List<Error> errors;
        try {
            errors = compiled.validate(JSON3.readTree(JSON2.writeValueAsString(doc)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Error e : errors) {
            problems.add(id + ": at " + location(e) + ": " + e.getMessage() + " [" + e.getKeyword() + " per "
                    + crd.source() + " " + version + "]");
        }
        // metadata is the API server's own ObjectMeta, whatever the CRD says.
        if (doc.has("metadata")) {
            walk(read(doc.get("metadata"), ObjectMeta.class, "metadata.", id, problems), ".metadata", id, problems,
                    Collections.newSetFromMap(new IdentityHashMap<>()));
        } else {
            problems.add(id + ": no metadata");
        }
    }

    private static String location(Error e) {
        String at = e.getInstanceLocation().toString();
        if (at.startsWith("$")) {
            at = at.substring(1);
        }
        if (at.startsWith(".")) {
            at = at.substring(1);
        }
        return at.isEmpty() ? "(document)" : at;
    }

    /**
     * A CRD's structural schema as a strict JSON schema (draft 4, which has OpenAPI 3.0's boolean
     * exclusiveMinimum/Maximum): object nodes without additionalProperties or
     * x-kubernetes-preserve-unknown-fields get additionalProperties false (the API server would
     * prune those fields silently; for us they are typos); x-kubernetes-int-or-string becomes
     * integer-or-string; nullable adds null; metadata is left to ObjectMeta; formats, CEL rules
     * (x-kubernetes-validations) and descriptions are dropped: they are not checked here.
     */
    static ObjectNode strictSchema(JsonNode schema) {
        ObjectNode root = convert(schema, false);
        ObjectNode props = root.has("properties") ? (ObjectNode) root.get("properties") : root.putObject("properties");
        props.set("metadata", JsonNodeFactory.instance.objectNode().put("type", "object"));
        if (!props.has("apiVersion")) {
            props.putObject("apiVersion").put("type", "string");
        }
        if (!props.has("kind")) {
            props.putObject("kind").put("type", "string");
        }
        return root;
    }

    private static ObjectNode convert(JsonNode schema, boolean valueValidationOnly) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (!schema.isObject()) {
            throw new IllegalArgumentException("not a schema: " + schema);
        }
        for (Map.Entry<String, JsonNode> e : schema.properties()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            switch (key) {
                case "properties", "patternProperties" -> {
                    ObjectNode p = out.putObject(key);
                    v.properties().forEach(prop -> p.set(prop.getKey(), convert(prop.getValue(), valueValidationOnly)));
                }
                case "items" -> {
                    if (v.isArray()) {
                        ArrayNode a = out.putArray(key);
                        v.forEach(item -> a.add(convert(item, valueValidationOnly)));
                    } else {
                        out.set(key, convert(v, valueValidationOnly));
                    }
                }
                case "additionalProperties" -> out.set(key, v.isObject() ? convert(v, valueValidationOnly) : v);
                case "allOf", "anyOf", "oneOf" -> {
                    ArrayNode a = out.putArray(key);
                    v.forEach(item -> a.add(convert(item, true)));
                }
                case "not" -> out.set(key, convert(v, true));
                case "description", "example", "externalDocs", "format", "default", "title", "nullable" -> { }
                default -> {
                    if (!key.startsWith("x-kubernetes-")) {
                        out.set(key, v);
                    }
                }
            }
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            out.remove("type");
            if (!out.has("anyOf") && !out.has("oneOf")) {
                out.putArray("type").add("integer").add("string");
            }
        }
        if (schema.path("nullable").asBoolean(false) && out.path("type").isTextual()) {
            String type = out.get("type").asText();
            out.putArray("type").add(type).add("null");
        }
        if (schema.path("x-kubernetes-list-type").asText().equals("set")) {
            out.put("uniqueItems", true);
        }
        boolean object = schema.path("type").asText().equals("object") || schema.has("properties");
        if (!valueValidationOnly && object && !schema.has("additionalProperties")
                && !schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            out.put("additionalProperties", false);
        }
        return out;
    }
}
