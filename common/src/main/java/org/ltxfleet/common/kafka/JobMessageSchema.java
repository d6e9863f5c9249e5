package org.ltxfleet.common.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ltxfleet.common.json.Json;

/**
 * Generates the JSON Schema of {@link JobMessage} from the record itself, so the published schema
 * ({@code docs/schema/job-message.schema.json}) cannot drift from the code: a unit test compares
 * the two, and {@link #main} rewrites the file.
 */
public final class JobMessageSchema {

    /** Where the schema is published, relative to the repository root. */
    public static final String PUBLISHED_PATH = "docs/schema/job-message.schema.json";

    private JobMessageSchema() {
    }

    /** The schema as a JSON tree. */
    public static JsonNode generate() {
        var config = new SchemaGeneratorConfigBuilder(Json.mapper(), SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(new JacksonModule(JacksonOption.RESPECT_JSONPROPERTY_REQUIRED));
        config.forFields().withRequiredCheck(field -> switch (field.getDeclaredName()) {
            case "schemaVersion", "requestId", "keyId", "input" -> true;
            default -> false;
        });
        config.forTypesInGeneral().withTitleResolver(scope ->
                scope.getType().getErasedType() == JobMessage.class ? "ltx.jobs message" : null);
        config.forTypesInGeneral().withDescriptionResolver(scope ->
                scope.getType().getErasedType() == JobMessage.class
                        ? "A training job produced to the ltx.jobs topic, keyed by request_id." : null);
        return new SchemaGenerator(config.build()).generateSchema(JobMessage.class);
    }

    /** The schema as the published file's text. */
    public static String render() {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(generate()) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rewrites the published schema; run from the repository root. */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : PUBLISHED_PATH);
        Files.createDirectories(file.getParent());
        Files.writeString(file, render());
        System.out.println("wrote " + file.toAbsolutePath());
    }
}
