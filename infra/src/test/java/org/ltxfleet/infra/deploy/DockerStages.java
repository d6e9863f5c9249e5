package org.ltxfleet.infra.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read as its build stages: each stage's base (a stage name or an image, global
 * {@code ARG} defaults substituted) and its instructions with continuation lines joined. Enough
 * to check what a target contains; not a Dockerfile parser for anything else.
 */
record DockerStages(Map<String, Stage> stages, String last) {

    /** One {@code FROM … AS name} stage. */
    record Stage(String name, String from, List<String> instructions) {

        /** The instructions starting with {@code keyword} (upper case), keyword removed. */
        List<String> all(String keyword) {
            return instructions.stream().filter(i -> i.startsWith(keyword + " "))
                    .map(i -> i.substring(keyword.length() + 1).trim()).toList();
        }

        /** The ENV variables this stage sets ({@code NAME=value} form). */
        Map<String, String> env() {
            var env = new LinkedHashMap<String, String>();
            Matcher m = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)").matcher(String.join(" ", all("ENV")));
            while (m.find()) {
                env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
            }
            return env;
        }
    }

    static DockerStages read(Path file) throws IOException {
        var joined = new ArrayList<String>();
        var current = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
            } else {
                joined.add(current.append(trimmed).toString());
                current.setLength(0);
            }
        }
        var globals = new LinkedHashMap<String, String>();
        var stages = new LinkedHashMap<String, Stage>();
        Stage stage = null;
        for (String instruction : joined) {
            if (instruction.startsWith("FROM ")) {
                String[] parts = instruction.substring(5).trim().split("\\s+");
                String from = parts[0];
                for (var global : globals.entrySet()) {
                    from = from.replace("${" + global.getKey() + "}", global.getValue());
                }
                String name = parts.length == 3 && parts[1].equalsIgnoreCase("AS") ? parts[2] : "stage" + stages.size();
                stage = new Stage(name, from, new ArrayList<>());
                stages.put(name, stage);
            } else if (stage == null && instruction.startsWith("ARG ")) {
                String[] arg = instruction.substring(4).trim().split("=", 2);
                globals.put(arg[0], arg.length == 2 ? arg[1] : "");
            } else if (stage != null) {
                stage.instructions().add(instruction);
            }
        }
        return new DockerStages(stages, stage == null ? null : stage.name());
    }

    Stage stage(String name) {
        Stage stage = stages.get(name);
        if (stage == null) {
            throw new AssertionError("no stage " + name + " in " + stages.keySet());
        }
        return stage;
    }

    /** The stages {@code name} is built from, itself first, down to the image it starts from. */
    List<Stage> chain(String name) {
        var chain = new ArrayList<Stage>();
        for (Stage s = stage(name); s != null; s = stages.get(s.from())) {
            chain.add(s);
        }
        return chain;
    }

    /** The image a target starts from. */
    String baseImage(String name) {
        return chain(name).getLast().from();
    }
}
