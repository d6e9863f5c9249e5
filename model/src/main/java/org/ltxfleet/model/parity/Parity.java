package org.ltxfleet.model.parity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every comparison we have on a directory laid out like {@code testdata/golden} (or one of
 * its folders): each reference folder we know is compared, and a folder we find but cannot
 * compare yet is reported, so "passed" never means "nothing was checked".
 */
public final class Parity {

    /** A reference folder's comparator. */
    @FunctionalInterface
    interface Comparator {
        List<Comparison> run(Path folder) throws IOException;
    }

    /** Reference folders by their path under the golden root, with their comparators (null: not compared yet). */
    private static final Map<String, Comparator> FOLDERS = new LinkedHashMap<>();

    static {
        FOLDERS.put("ltx23/transformer", TransformerParity::run);
        FOLDERS.put("ltx23/schedule", ScheduleParity::run);
        FOLDERS.put("ltx23/lora", LoraParity::run);
        FOLDERS.put("ltx23/vae", VaeParity::run);
        FOLDERS.put("ltx23/text", TextParity::run);
        FOLDERS.put("gemma3", GemmaParity::run);
    }

    /** What a run compared, by folder, and which folders it found but could not compare. */
    public record Report(Map<String, List<Comparison>> compared, List<String> notCompared) {
        /** Everything found was compared and every comparison is within its tolerance. */
        public boolean passed() {
            return notCompared.isEmpty() && !compared.isEmpty()
                    && compared.values().stream().flatMap(List::stream).allMatch(Comparison::passed);
        }
    }

    private Parity() {
    }

    /** Compares what {@code root} holds; {@code root} may be the golden root, {@code ltx23} or one folder. */
    public static Report run(Path root) throws IOException {
        var compared = new LinkedHashMap<String, List<Comparison>>();
        var notCompared = new ArrayList<String>();
        for (var folder : FOLDERS.entrySet()) {
            Path dir = locate(root, folder.getKey());
            if (dir == null) {
                continue;
            }
            if (folder.getValue() == null) {
                notCompared.add(folder.getKey());
            } else {
                compared.put(folder.getKey(), folder.getValue().run(dir));
            }
        }
        return new Report(compared, notCompared);
    }

    /** The folder {@code name} (e.g. "ltx23/vae") under {@code root}, or {@code root} itself when it is that folder. */
    private static Path locate(Path root, String name) {
        Path from = root.toAbsolutePath().normalize();
        Path path = Path.of(name);
        int depth = path.getNameCount();
        for (int down = 0; down <= depth; down++) {
            // root may already be some way down: golden/, golden/ltx23/ or golden/ltx23/vae/.
            if (down > 0 && !from.endsWith(path.subpath(0, down))) {
                continue;
            }
            Path candidate = down == depth ? from : from.resolve(path.subpath(down, depth));
            if (Files.isRegularFile(candidate.resolve("README.md"))) {
                return candidate;
            }
        }
        return null;
    }
}
