package org.ltxfleet.common.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.ltxfleet.common.event.JobEvent;

/**
 * A worker's metrics, scraped at {@code /metrics} beside its probes: the JVM (memory, GC, threads,
 * CPU, uptime), every event it wrote by type ({@code fleet_worker_events_total}: the terminal types
 * are its jobs by outcome) and every attempt at a job by result with its duration
 * ({@code fleet_worker_job_attempt_seconds}: done, failed, handed_back). Each carries the stage.
 */
public final class WorkerMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Listens to the JVM's GC notifications until closed. */
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** Metrics of a worker of {@code stage}. */
    public WorkerMetrics(String stage) {
        registry.config().commonTags("stage", stage);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Counts an event the worker wrote. */
    public void eventWritten(JobEvent event) {
        Counter.builder("fleet_worker_events").tag("type", event.type() == null ? "unknown" : event.type().wireName())
                .description("events this worker wrote, by type").register(registry).increment();
    }

    /** Times one attempt at a job. */
    public void attempt(String result, long nanos) {
        Timer.builder("fleet_worker_job_attempt").tag("result", result)
                .description("attempts at jobs, by how they ended").register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The Prometheus text exposition of everything above. */
    public String scrape() {
        return registry.scrape();
    }

    /** Stops listening to the JVM (a stack's workers come and go within one JVM in tests and `fleet up`). */
    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
