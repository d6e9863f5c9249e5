package org.ltxfleet.common.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.ltxfleet.common.event.JobEvent;

/**
 * A worker's metrics, scraped at {@code /metrics} beside its probes: the JVM (memory, GC, threads,
 * CPU, uptime), every event it wrote by type ({@code fleet_worker_events_total}: the terminal types
 * are its jobs by outcome) and every attempt at a job by result with its duration
 * ({@code fleet_worker_job_attempt_seconds}: done, failed, handed_back, paused). Each carries the stage.
 */
public final class WorkerMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmMeters jvm;
    /** The training step time the worker last reported (a moving average), 0 before any. */
    private final java.util.concurrent.atomic.AtomicReference<Double> stepSeconds =
            new java.util.concurrent.atomic.AtomicReference<>(0.0);

    /** Metrics of a worker of {@code stage}. */
    public WorkerMetrics(String stage) {
        // The stage tag first: a meter registered before it would not carry it.
        registry.config().commonTags("stage", stage);
        jvm = JvmMeters.bindTo(registry);
        io.micrometer.core.instrument.Gauge.builder("fleet_worker_seconds_per_step", stepSeconds, java.util.concurrent.atomic.AtomicReference::get)
                .description("seconds per training step the worker last reported").register(registry);
    }

    /** Counts an event the worker wrote; a progress report with a step time also sets the s/step gauge. */
    public void eventWritten(JobEvent event) {
        Counter.builder("fleet_worker_events").tag("type", event.type() == null ? "unknown" : event.type().wireName())
                .description("events this worker wrote, by type").register(registry).increment();
        var secondsPerStep = event.payload() == null ? null : event.payload().get("seconds_per_step");
        if (event.type() == org.ltxfleet.common.event.EventType.PROGRESS && secondsPerStep != null
                && secondsPerStep.isNumber()) {
            stepSeconds.set(secondsPerStep.asDouble());
        }
    }

    /** Times one attempt at a job. */
    public void attempt(String result, long nanos) {
        Timer.builder("fleet_worker_job_attempt").tag("result", result)
                .description("attempts at jobs, by how they ended").register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Adds the meters of one of the worker's parts (its Kafka producer's, say). */
    public void bind(io.micrometer.core.instrument.binder.MeterBinder binder) {
        binder.bindTo(registry);
    }

    /** The Prometheus text exposition of everything above. */
    public String scrape() {
        return registry.scrape();
    }

    /** Stops listening to the JVM (a stack's workers come and go within one JVM in tests and `fleet up`). */
    @Override
    public void close() {
        jvm.close();
        registry.close();
    }
}
