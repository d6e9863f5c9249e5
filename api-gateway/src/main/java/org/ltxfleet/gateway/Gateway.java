package org.ltxfleet.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.job.InputValidator;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.common.s3.S3Settings;
import org.ltxfleet.gateway.auth.ApiKeys;
import org.ltxfleet.gateway.auth.RateLimits;
import org.ltxfleet.gateway.health.KafkaHealth;
import org.ltxfleet.gateway.health.Loops;
import org.ltxfleet.gateway.health.MetricsServer;
import org.ltxfleet.gateway.ledger.BillingLedger;
import org.ltxfleet.gateway.projection.JobProjection;
import org.ltxfleet.gateway.projection.ProjectionConsumer;
import org.ltxfleet.gateway.snapshot.GatewaySnapshots;
import org.ltxfleet.gateway.projection.LogSweeper;
import org.ltxfleet.gateway.status.OpenStreams;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.gateway.submit.JobPlacement;
import org.ltxfleet.gateway.submit.JobPublisher;
import org.ltxfleet.gateway.submit.SubmitHandler;
import org.ltxfleet.gateway.timeout.StartTimeouts;
import org.ltxfleet.gateway.storage.ExpiredOutputs;
import org.ltxfleet.gateway.storage.OutputLinks;
import org.ltxfleet.gateway.storage.StorageSettings;
import org.ltxfleet.gateway.storage.UploadExpiries;
import org.ltxfleet.gateway.webhook.MissingKeyFileException;
import org.ltxfleet.gateway.webhook.SigningKeys;
import org.ltxfleet.gateway.webhook.WebhookDeliveryWorker;
import org.ltxfleet.gateway.webhook.WebhookDispatcher;
import org.ltxfleet.gateway.webhook.WebhookSettings;
import org.ltxfleet.gateway.webhook.WebhookSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running gateway: the HTTP API, its Kafka producer and its projection. Close it to stop. */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Vertx vertx;
    private final GatewayServices services;
    private final int port;
    /** Kafka consumers the gateway runs beside the API; closed before the shared clients. */
    private final java.util.List<AutoCloseable> background = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    /** The port {@code /metrics} is bound to, once served; -1 while it is not. */
    private volatile int metricsPort = -1;

    private Gateway(Vertx vertx, GatewayServices services, int port) {
        this.vertx = vertx;
        this.services = services;
        this.port = port;
    }

    /**
     * Starts the gateway and waits until it listens and its projection has caught up with Kafka,
     * so a restarted gateway never answers 404 for a job that exists.
     */
    public static Gateway start(GatewaySettings settings, ApiKeys keys, WebhookSettings webhooks,
                                StorageSettings storage, S3Settings s3) throws Exception {
        if (settings.port() == 0) {
            // Every event loop binds the same port, so "any free port" must be chosen once, here.
            settings = withPort(settings, freePort());
        }
        // First: a missing key file fails the start before any client is opened.
        var signingKeys = SigningKeys.load(webhooks.keysFile());
        var projection = new JobProjection(settings.logRetention());
        var store = ObjectStore.open(s3);
        var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var snapshots = GatewaySnapshots.open(settings.kafka(), store, settings.snapshotInterval());
        var services = new GatewayServices(settings, keys, projection, snapshots.projection(projection),
                new JobPublisher(settings.kafka(), settings.submitTimeout()),
                new JobPlacement(settings.kafka(), Topics.jobTopics()),
                new KafkaHealth(settings.kafka()), new InputValidator(),
                metrics, signingKeys,
                webhooks, snapshots.ledger(projection::outcome, projection::evictedOutcome, settings.logRetention()), new RateLimits(settings.rateLimitPerSecond(), settings.readLimitPerSecond()),
                new Loops(), new OpenStreams(settings.maxStreamsPerKey(), metrics), storage, store,
                new OutputLinks(store::downloadUrl, storage.linkLifetime()));
        Vertx vertx = Vertx.vertx();
        var gateway = new Gateway(vertx, services, settings.port());
        gateway.background.add(snapshots);
        try {
            services.loops().add(services.projectionConsumer()::health);
            services.loops().add(services.ledger()::health);
            services.kafkaHealth().checkNow();
            if (!services.projectionConsumer().awaitReady(Duration.ofSeconds(120))) {
                LOG.warn("projection has not caught up after 120 s; serving anyway, /health/ready says DOWN");
            }
            // After the replay: the dispatcher looks every ended job up in the projection.
            var dispatcher = new WebhookDispatcher(settings.kafka(), projection, services.outputLinks());
            var delivery = new WebhookDeliveryWorker(settings.kafka(),
                    new WebhookSigner(services.signingKeys()), services.publisher(), webhooks, services.metrics());
            gateway.background.add(dispatcher);
            gateway.background.add(delivery);
            gateway.background.add(new StartTimeouts(projection, services.publisher()));
            gateway.background.add(new ExpiredOutputs(projection, store));
            gateway.background.add(new UploadExpiries(store, 2));
            // A job leaves memory for the archive once its logs are gone; the ledger settles its charge first.
            projection.onEvicted(services.ledger()::settle);
            gateway.background.add(new LogSweeper(projection, services.archive(), services.history()::archived));
            services.loops().add(dispatcher::health);
            io.micrometer.core.instrument.FunctionCounter.builder("fleet_gateway_webhook_dispatch_given_up", dispatcher,
                            WebhookDispatcher::givenUp)
                    .description("job ends whose webhook was not dispatched: the projection had not seen the end within "
                            + "the dispatcher's wait limit (the gateway's log names each; redeliver them)")
                    .register(services.metrics());
            services.loops().add(delivery::health);
            if (!services.ledger().awaitReady(Duration.ofSeconds(60))) {
                LOG.warn("billing ledger has not caught up after 60 s; usage may be incomplete for a while");
            }
            var submit = new SubmitHandler(services);
            vertx.deployVerticle(() -> new QueueApiVerticle(services, submit),
                            new DeploymentOptions().setInstances(settings.instances()))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (settings.metricsPort() >= 0) {
                gateway.metricsPort = MetricsServer.start(vertx, settings.host(), settings.metricsPort(), metrics)
                        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).actualPort();
            }
            gateway.background.add(org.ltxfleet.common.health.JvmMeters.bindTo(services.metrics()));
            var producerMeters = services.publisher().meters();
            producerMeters.bindTo(services.metrics());
            gateway.background.add(producerMeters);
            io.micrometer.core.instrument.Gauge.builder("fleet_gateway_queued_jobs", projection,
                    JobProjection::queuedCount).register(services.metrics());
            countReplayed(services, "projection", services.projectionConsumer()::recordsRead);
            countReplayed(services, "ledger", services.ledger()::recordsRead);
            io.micrometer.core.instrument.FunctionCounter.builder("fleet_gateway_skipped_records",
                            services.projectionConsumer(), ProjectionConsumer::recordsSkipped)
                    .description("records of the job topics and events the projection could not apply and skipped "
                            + "(a direct producer's unreadable or anonymous message; see the gateway's log)")
                    .tag("reader", "projection").register(services.metrics());
            // The ledger's total, the same on every gateway (read it with max, not sum, across them).
            io.micrometer.core.instrument.Gauge.builder("fleet_gateway_billed_units", services.ledger(),
                    BillingLedger::billedUnits).description("units billed, every key and day").register(services.metrics());
            return gateway;
        } catch (Exception | Error e) {
            gateway.close();
            if (e instanceof java.util.concurrent.ExecutionException wrapped && wrapped.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static void countReplayed(GatewayServices services, String reader, java.util.function.LongSupplier read) {
        io.micrometer.core.instrument.FunctionCounter.builder("fleet_gateway_replayed_records", read,
                        java.util.function.LongSupplier::getAsLong)
                .description("records the reader read since the gateway started (at start-up: what the replay "
                        + "cost, which a snapshot bounds)")
                .tag("reader", reader).register(services.metrics());
    }

    private static GatewaySettings withPort(GatewaySettings s, int port) {
        return new GatewaySettings(s.host(), port, s.metricsPort(), s.publicUrl(), s.trustedProxies(), s.bodyLimit(),
                s.submitTimeout(),
                s.kafka(), s.keysFile(), s.instances(), s.rateLimitPerSecond(), s.readLimitPerSecond(),
                s.maxStreamsPerKey(), s.maxQueuedPerKey(), s.logRetention(), s.fairSharePerKey(), s.snapshotInterval(),
                s.console());
    }

    private static int freePort() throws java.io.IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Runs a gateway until the process is stopped (SIGTERM closes it): the service's entry point in
     * the distribution. The optional argument is a config file; the environment overrides it.
     */
    public static void main(String[] args) throws Exception {
        org.ltxfleet.common.kafka.ConsumerLoop.exitOnFatal();
        Gateway gateway;
        try {
            gateway = start(FleetConfig.load(args.length > 0 ? java.nio.file.Path.of(args[0]) : null));
        } catch (MissingKeyFileException e) {
            // An operator's task, not a bug: the one line that says what to do, without a stack trace.
            System.err.println("ltx-gateway: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "gateway-shutdown"));
        LOG.info("gateway up on port {} (metrics: {}); running until stopped", gateway.port(),
                gateway.metricsPort().isPresent() ? "port " + gateway.metricsPort().getAsInt() : "off");
        Thread.currentThread().join();
    }

    /** Starts a gateway from the fleet configuration. */
    public static Gateway start(FleetConfig config) throws Exception {
        GatewaySettings settings = GatewaySettings.from(config);
        return start(settings, ApiKeys.load(settings.keysFile()), WebhookSettings.from(config),
                StorageSettings.from(config), S3Settings.from(config));
    }

    /** The port the API listens on. */
    public int port() {
        return port;
    }

    /** The port {@code GET /metrics} is served on; empty when {@code gateway.metrics.port} is -1. */
    public java.util.OptionalInt metricsPort() {
        int port = metricsPort;
        return port < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(port);
    }

    /** The shared services, for tests and the embedded stack. */
    public GatewayServices services() {
        return services;
    }

    /** Stops serving and closes the Kafka clients; safe to call twice. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("HTTP server did not stop cleanly: {}", e.toString());
        }
        for (AutoCloseable component : background) {
            try {
                component.close();
            } catch (Exception e) {
                LOG.warn("{} did not stop cleanly: {}", component.getClass().getSimpleName(), e.toString());
            }
        }
        services.projectionConsumer().close();
        services.ledger().close();
        services.publisher().close();
        services.placement().close();
        services.kafkaHealth().close();
        services.store().close();
    }
}
