package org.ltxfleet.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.infra.api.CpuBound;
import org.ltxfleet.infra.stack.FleetStack;
import org.ltxfleet.infra.stack.StackOptions;

/**
 * {@code ./fleet bench gateway} in miniature on a real stack: every request of the three paths
 * (gateway, bare bridge, raw producer) must succeed (a benchmark whose submits were all refused
 * once printed figures of nothing), the ratios the goals are stated in must be there, and the
 * figures must say where the CPU and memory went. It saturates the cores for seconds, so it does
 * not run beside a class that trains.
 */
@CpuBound(seconds = 25, usesTinyBase = false)
class GatewayBenchIT {

    @Test
    void everyPathIsMeasuredAndAccountedFor(@TempDir Path dir) throws Exception {
        Path stackDir = Files.createDirectories(dir.resolve("stack"));
        Files.writeString(stackDir.resolve("fleet.properties"), GatewayBench.STACK_SETTINGS);
        // The paced rate derived from the saturated phases (rate 0), as the command does by default;
        // a saturated second offers more jobs than a key may have queued by default, so a stack
        // without the bench's settings fails.
        var shape = new GatewayBench.Shape(0, 1, 1, 1, 1);
        Path recordings = dir.resolve("recordings");
        try (var fleet = FleetStack.start(StackOptions.forTests(stackDir).withWorkers(false))) {
            var figures = new GatewayBench(fleet, shape, recordings).run();

            for (String path : List.of("gateway", "bridge", "raw")) {
                assertThat(figures.get(path + "_errors")).as(path + " in " + figures).isEqualTo(Map.of());
                // Positive, not above some speed: this machine may be busy with anything else.
                assertThat((double) figures.get(path + "_saturated_per_s")).as(path).isPositive();
            }
            for (String ratio : List.of("saturated_over_bridge", "p99_over_bridge", "p99_over_raw")) {
                assertThat((double) figures.get(ratio)).as(ratio).isPositive();
            }
            assertThat(figures.get("goals_met")).isInstanceOf(Boolean.class);
            // Derived: a quarter of the slowest path's saturated throughput, which every path sustained.
            int rate = (int) figures.get("paced_rate_per_s");
            assertThat(rate).isPositive().isLessThanOrEqualTo((int) Math.ceil(
                    0.25 * (double) figures.get("gateway_saturated_per_s")));
            assertThat((double) figures.get("gateway_paced_per_s")).isPositive();

            var gatewayCpu = cpu(figures, "gateway_saturated_cpu_us_per_job");
            assertThat(gatewayCpu.get("gateway_http")).isPositive();
            assertThat(gatewayCpu.get("bench_http_client")).isPositive();
            assertThat(gatewayCpu.get("total")).isGreaterThanOrEqualTo(gatewayCpu.get("gateway_http"));
            var bridgeCpu = cpu(figures, "bridge_saturated_cpu_us_per_job");
            assertThat(bridgeCpu.get("bridge_http")).isPositive();
            assertThat(bridgeCpu.get("bridge_producer")).isPositive();
            assertThat(bridgeCpu.get("bench_http_client")).isPositive();
            // The bridge's work is told from the gateway's: the gateway's threads idle while it runs.
            assertThat(bridgeCpu.getOrDefault("gateway_http", 0L)).isLessThan(gatewayCpu.get("gateway_http"));
            var rawCpu = cpu(figures, "raw_saturated_cpu_us_per_job");
            assertThat(rawCpu.get("raw_producer")).isPositive();
            assertThat(rawCpu.getOrDefault("gateway_http", 0L)).isLessThan(gatewayCpu.get("gateway_http"));
            assertThat(cpu(figures, "gateway_saturated_alloc_kb_per_job").get("gateway_http")).isPositive();
            for (String path : List.of("gateway", "bridge", "raw")) {
                assertThat(recordings.resolve(path + "-paced.jfr")).isNotEmptyFile();
                assertThat(recordings.resolve(path + "-saturated.jfr")).isNotEmptyFile();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> cpu(Map<String, Object> figures, String key) {
        return (Map<String, Long>) figures.get(key);
    }
}
