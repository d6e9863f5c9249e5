package org.ltxfleet.infra.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.model.parity.Comparison;
import org.ltxfleet.model.parity.Parity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./fleet parity [DIR]}: our model against reference tensors computed with the official
 * implementations, as laid out in the repository's {@code testdata/golden} (the root, {@code ltx23} or
 * one folder; that copy when no directory is given).
 */
@Command(name = "parity", mixinStandardHelpOptions = true,
        description = "Compare our model with reference tensors from the official implementations (a directory laid "
                + "out like testdata/golden, or one of its folders; default: the repository's testdata/golden): each "
                + "comparison's max absolute and relative difference and tolerance; the last line is RESULT {json} "
                + "with \"pass\": true only when every folder found was compared and every comparison is within its "
                + "tolerance. Exit status 1 otherwise.")
final class ParityCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", defaultValue = "testdata/golden",
            description = "the reference directory (default: ${DEFAULT-VALUE}, the repository's copy)")
    Path directory;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("no directory " + directory);
        }
        var report = Parity.run(directory);
        if (report.compared().isEmpty() && report.notCompared().isEmpty()) {
            throw new IllegalArgumentException(directory + " holds no reference folder we know (README.md under "
                    + "ltx23/transformer, ltx23/vae, ltx23/schedule, ltx23/lora, ltx23/text or gemma3)");
        }
        var folders = new LinkedHashMap<String, Object>();
        report.compared().forEach((folder, comparisons) -> {
            System.out.println(folder);
            comparisons.forEach(c -> System.out.println("  " + c));
            folders.put(folder, cases(comparisons));
        });
        report.notCompared().forEach(folder -> System.out.println(folder + "\n  not compared: no comparison for it yet"));
        var result = new LinkedHashMap<String, Object>();
        result.put("pass", report.passed());
        result.put("folders", folders);
        result.put("not_compared", report.notCompared());
        System.out.println("RESULT " + Json.toString(result));
        return report.passed() ? 0 : 1;
    }

    private static List<Map<String, Object>> cases(List<Comparison> comparisons) {
        return comparisons.stream().map(c -> {
            var json = new LinkedHashMap<String, Object>();
            json.put("case", c.name());
            json.put("max_abs", c.maxAbs());
            json.put("max_relative", c.maxRelative());
            json.put("tolerance", c.tolerance());
            json.put("pass", c.passed());
            return (Map<String, Object>) json;
        }).toList();
    }
}
