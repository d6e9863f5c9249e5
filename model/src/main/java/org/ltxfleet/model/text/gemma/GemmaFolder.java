package org.ltxfleet.model.text.gemma;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.ltxfleet.common.json.Json;

/**
 * A Gemma-3 model folder as LTX-2.3 takes it (the Hugging Face repository's files): {@code config.json},
 * {@code tokenizer.json} and every {@code *.safetensors} below the folder (ltx-core's
 * {@code resolve_gemma_weight_paths} globs them recursively), in name order.
 */
public record GemmaFolder(Path root, Path config, Path tokenizer, List<Path> shards) {

    public GemmaFolder {
        shards = List.copyOf(shards);
    }

    /** The folder's files; fails naming the folder and what it lacks. */
    public static GemmaFolder of(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("no Gemma model folder at " + root);
        }
        Path config = root.resolve("config.json");
        Path tokenizer = root.resolve("tokenizer.json");
        for (Path required : List.of(config, tokenizer)) {
            if (!Files.isRegularFile(required)) {
                throw new IOException("the Gemma model folder " + root + " has no " + required.getFileName());
            }
        }
        List<Path> shards;
        try (Stream<Path> files = Files.walk(root)) {
            shards = files.filter(p -> p.getFileName().toString().endsWith(".safetensors") && Files.isRegularFile(p))
                    .sorted().toList();
        }
        if (shards.isEmpty()) {
            throw new IOException("the Gemma model folder " + root + " has no *.safetensors weights");
        }
        return new GemmaFolder(root, config, tokenizer, shards);
    }

    /** The text decoder's shape from {@code config.json}; fails naming the file. */
    public Gemma3Config readConfig() throws IOException {
        try {
            return Gemma3Config.fromConfigJson(Json.readTree(Files.readAllBytes(config)));
        } catch (UncheckedIOException | IllegalArgumentException | NullPointerException e) {
            throw new IOException("cannot read the Gemma-3 config " + config + ": " + e.getMessage(), e);
        }
    }
}
