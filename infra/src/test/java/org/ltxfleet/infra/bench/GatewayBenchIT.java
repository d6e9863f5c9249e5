package org.ltxfleet.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.infra.api.CpuBound;
import org.ltxfleet.infra.stack.FleetStack;
import org.ltxfleet.infra.stack.StackOptions;

/**
 * {@code ./fleet bench gateway} in miniature on a real stack: every request of both paths must
 * succeed (a benchmark whose submits were all refused once printed figures of nothing), and the
 * figures must say where the CPU and memory went. It saturates the cores for seconds, so it does not
 * run beside a class that trains.
 */
@CpuBound(seconds = 20, usesTinyBase = false)
class GatewayBenchIT {

    @Test
    void bothPathsAreMeasuredAndAccountedFor(@TempDir Path dir) throws Exception {
        Path stackDir = Files.createDirectories(dir.resolve("stack"));
        Files.writeString(stackDir.resolve("fleet.properties"), GatewayBench.STACK_SETTINGS);
        // More jobs than a key may have queued by default, so a stack without the bench's settings fails.
        var shape = new GatewayBench.Shape(1100, 1, 1, 1, 1);
        Path recordings = dir.resolve("recordings");
        try (var fleet = FleetStack.start(StackOptions.forTests(stackDir).withWorkers(false))) {
            var figures = new GatewayBench(fleet, shape, recordings).run();

            assertThat(figures.get("gateway_errors")).as(figures.toString()).isEqualTo(Map.of());
            assertThat(figures.get("kafka_errors")).isEqualTo(Map.of());
            assertThat((double) figures.get("gateway_accepted_per_s")).isGreaterThan(100);
            assertThat((double) figures.get("ratio_p99_gateway_to_kafka")).isPositive();
            assertThat((double) figures.get("ratio_max_gateway_to_kafka")).isPositive();
            @SuppressWarnings("unchecked")
            var gatewayCpu = (Map<String, Long>) figures.get("gateway_max_cpu_us_per_job");
            assertThat(gatewayCpu.get("gateway_http")).isPositive();
            assertThat(gatewayCpu.get("bench_http_client")).isPositive();
            assertThat(gatewayCpu.get("total")).isGreaterThanOrEqualTo(gatewayCpu.get("gateway_http"));
            @SuppressWarnings("unchecked")
            var kafkaCpu = (Map<String, Long>) figures.get("kafka_max_cpu_us_per_job");
            assertThat(kafkaCpu.get("bench_raw_producer")).isPositive();
            assertThat(kafkaCpu.get("gateway_http")).isLessThan(gatewayCpu.get("gateway_http"));
            @SuppressWarnings("unchecked")
            var allocated = (Map<String, Long>) figures.get("gateway_max_alloc_kb_per_job");
            assertThat(allocated.get("gateway_http")).isPositive();
            assertThat(recordings.resolve("gateway-paced.jfr")).isNotEmptyFile();
            assertThat(recordings.resolve("kafka-saturated.jfr")).isNotEmptyFile();
        }
    }
}
