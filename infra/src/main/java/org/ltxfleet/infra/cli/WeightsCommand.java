package org.ltxfleet.infra.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.model.nn.StorageReport;
import org.ltxfleet.model.nn.StorageScan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./fleet weights FILE...}: what {@code model.base.precision=float16} would change in a
 * checkpoint, before a worker loads it: per file, the matrices that would be kept in 16 bits and how
 * many of their values would not survive exactly.
 */
@Command(name = "weights", mixinStandardHelpOptions = true,
        description = "Scan .safetensors files (no model, no device) and print what 16-bit row-scaled storage "
                + "(model.base.precision=float16) would change: values kept in 16 bits, values not exact, values "
                + "flushed to zero, the worst relative error. The last line is RESULT {json}.")
final class WeightsCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "checkpoint files (.safetensors)")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        var reports = new ArrayList<Map<String, Object>>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + " is not a file");
            }
            StorageReport report = StorageScan.scan(file);
            System.out.println(file + ": " + report.summary());
            var fields = new LinkedHashMap<String, Object>();
            fields.put("file", file.toString());
            fields.put("tensors", report.tensors());
            fields.put("values", report.values());
            fields.put("half_values", report.halfValues());
            fields.put("inexact", report.inexact());
            fields.put("flushed_to_zero", report.flushedToZero());
            fields.put("non_finite", report.nonFiniteValues());
            fields.put("worst_relative_error", report.worstRelativeError());
            fields.put("worst_tensor", report.worstTensor());
            reports.add(fields);
        }
        System.out.println("RESULT " + Json.toString(Map.of("files", reports)));
        return 0;
    }
}
