package org.ltxfleet.common.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random request bodies for property tests: mostly objects with the endpoint's own field names
 * (and strangers) holding values of every JSON type, including the edges (huge and negative
 * numbers, fractions where integers belong, deep nesting, long and odd strings), and now and then
 * a valid training URL, so that the later checks are reached too. Anything else that is JSON now
 * and then.
 */
public final class RequestBodies {

    /** Every field the endpoint reads, at the top level and inside a validation entry. */
    public static final List<String> FIELDS = List.of("training_data_url", "trigger_phrase", "rank",
            "number_of_steps", "learning_rate", "include_middle_keyframe", "number_of_frames", "frame_rate",
            "resolution", "aspect_ratio", "auto_scale_input", "split_input_into_scenes",
            "split_input_duration_threshold", "validation", "validation_negative_prompt",
            "validation_number_of_frames", "validation_frame_rate", "validation_resolution",
            "validation_aspect_ratio", "debug_dataset", "prompt", "start_image_url", "middle_image_url",
            "end_image_url");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RequestBodies() {
    }

    /** A request body: an object around the schema nine times in ten, any JSON value otherwise. */
    public static Arbitrary<JsonNode> bodies() {
        return Arbitraries.frequencyOf(Tuple.of(9, objects(2)), Tuple.of(1, values(2)));
    }

    private static Arbitrary<JsonNode> objects(int depth) {
        Arbitrary<String> names = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(FIELDS)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(12)));
        var entries = Combinators.combine(names, fieldValues(depth)).as(java.util.Map::entry).list().ofMaxSize(12);
        return Combinators.combine(entries, Arbitraries.integers().between(0, 2)).as((list, url) -> {
            var object = NODES.objectNode();
            if (url > 0) {
                object.put("training_data_url", "https://example.com/clips-" + url + ".zip");
            }
            list.forEach(e -> object.set(e.getKey(), e.getValue()));
            return object;
        });
    }

    /** Values a field may get: plausible ones of each kind of field, and any JSON value. */
    private static Arbitrary<JsonNode> fieldValues(int depth) {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(-5, 25_000).map(NODES::numberNode)),
                Tuple.of(2, Arbitraries.of("low", "medium", "high", "1:1", "16:9", "9:16", "auto",
                        "https://example.com/a.png", "http://127.0.0.1/x", "ftp://x", "", " ").map(NODES::textNode)),
                Tuple.of(2, Arbitraries.doubles().between(-1, 100).map(NODES::numberNode)),
                Tuple.of(3, values(depth)));
    }

    /** Any JSON value, nested at most {@code depth} deep. */
    private static Arbitrary<JsonNode> values(int depth) {
        Arbitrary<JsonNode> leaves = Arbitraries.<JsonNode>frequencyOf(
                Tuple.of(1, Arbitraries.just(NODES.nullNode())),
                Tuple.of(1, Arbitraries.of(true, false).map(NODES::booleanNode)),
                Tuple.of(2, Arbitraries.longs().map(NODES::numberNode)),
                Tuple.of(1, Arbitraries.of(new BigDecimal("1e400"), new BigDecimal("-1e400"),
                        new BigDecimal("1e-400"), new BigDecimal("123456789012345678901234567890"),
                        new BigDecimal("0.5"), new BigDecimal("2000.0")).map(NODES::numberNode)),
                Tuple.of(1, Arbitraries.doubles().map(NODES::numberNode)),
                Tuple.of(3, Arbitraries.strings().ofMaxLength(300).map(NODES::textNode)));
        if (depth == 0) {
            return leaves;
        }
        Arbitrary<JsonNode> arrays = values(depth - 1).list().ofMaxSize(4).map(items -> {
            var array = NODES.arrayNode();
            items.forEach(array::add);
            return array;
        });
        return Arbitraries.frequencyOf(Tuple.of(6, leaves), Tuple.of(1, arrays),
                Tuple.of(1, objects(depth - 1)));
    }
}
