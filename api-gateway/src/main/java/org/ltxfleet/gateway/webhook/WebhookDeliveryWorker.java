package org.ltxfleet.gateway.webhook;

import org.ltxfleet.common.kafka.KafkaConnection;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.JobEvent;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.ConsumerLoop;
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.common.kafka.WebhookDelivery;
import org.ltxfleet.gateway.submit.JobPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attempts webhook deliveries from {@code ltx.webhooks} and its retry tiers. Retries live in Kafka,
 * not in timers, so they survive restarts: a failed attempt is written to the retry tier of its
 * attempt count with the time it is due, and this worker waits for a tier's head to fall due by
 * pausing that partition (the tiers have fixed delays, so each is close to time order). Every
 * attempt is recorded as a {@code webhook.attempt} event on the job. Past the retry window a
 * delivery goes to the dead-letter topic. Offsets are committed after the outcome is durable.
 */
public final class WebhookDeliveryWorker extends ConsumerLoop {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveryWorker.class);
    static final String GROUP = "ltx-webhook-send";
    /** The outcome of an attempt after which another is scheduled: the delivery is still pending. */
    static final String RETRYING = "retrying";

    private final WebhookSender sender;
    private final JobPublisher publisher;
    private final WebhookSettings settings;
    private final Map<TopicPartition, Instant> pausedUntil = new HashMap<>();
    private final io.micrometer.core.instrument.MeterRegistry metrics;

    /** Starts delivering in a background thread; counts its attempts by outcome in {@code metrics}. */
    public WebhookDeliveryWorker(KafkaConnection kafka, WebhookSigner signer, JobPublisher publisher,
                                 WebhookSettings settings, io.micrometer.core.instrument.MeterRegistry metrics) {
        super(kafka.consumer(GROUP, "webhook-send"), "webhook-send");
        this.sender = new WebhookSender(signer, settings);
        this.publisher = publisher;
        this.settings = settings;
        this.metrics = metrics;
        start();
    }

    @Override
    public void close() {
        super.close();
        sender.close();
    }

    @Override
    protected void loop() throws Exception {
        var topics = new ArrayList<String>();
        topics.add(Topics.WEBHOOKS);
        topics.addAll(Topics.webhookRetryTiers());
        consumer.subscribe(topics);
        while (running()) {
            resumeDue();
            processBatch(poll(Duration.ofMillis(200)));
        }
    }

    private void processBatch(ConsumerRecords<String, byte[]> records) throws Exception {
        var due = new ArrayList<WebhookDelivery>();
        var commits = new HashMap<TopicPartition, OffsetAndMetadata>();
        Instant now = Instant.now();
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                WebhookDelivery delivery = read(record);
                if (delivery != null && delivery.notBefore().isAfter(now)) {
                    // Not yet due: wait on this partition without blocking the others.
                    consumer.seek(partition, record.offset());
                    consumer.pause(List.of(partition));
                    pausedUntil.put(partition, delivery.notBefore());
                    break;
                }
                if (delivery != null) {
                    due.add(delivery);
                }
                commits.put(partition, new OffsetAndMetadata(record.offset() + 1));
            }
        }
        var outcomes = due.stream().map(d -> sender.attempt(d).thenCompose(r -> record(d, r))).toList();
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        if (!commits.isEmpty()) {
            consumer.commitSync(commits);
        }
    }

    /** Writes what happened: the attempt event, and the retry or dead letter when it failed. */
    private CompletableFuture<?> record(WebhookDelivery delivery, AttemptResult result) {
        Instant now = Instant.now();
        String outcome;
        Instant next = null;
        CompletableFuture<?> follow = CompletableFuture.completedFuture(null);
        if (result.delivered()) {
            outcome = "delivered";
        } else if (result.gone()) {
            outcome = "gone";
        } else if (!result.retryable()) {
            outcome = "refused";
        } else {
            next = now.plus(jittered(settings.retryDelays().get(Math.min(delivery.attempt(),
                    Topics.WEBHOOK_RETRY_TIERS - 1))));
            if (next.isAfter(delivery.firstTry().plus(settings.window()))) {
                outcome = "dead_lettered";
                next = null;
                follow = publisher.send(Records.webhook(Topics.WEBHOOK_DEAD_LETTERS, delivery.retried(now)));
            } else {
                outcome = RETRYING;
                String tier = Topics.WEBHOOK_RETRY_PREFIX + Math.min(delivery.attempt(), Topics.WEBHOOK_RETRY_TIERS - 1);
                follow = publisher.send(Records.webhook(tier, delivery.retried(next)));
            }
        }
        io.micrometer.core.instrument.Counter.builder("fleet_gateway_webhook_attempts").tag("outcome", outcome)
                .description("webhook delivery attempts this gateway made, by outcome").register(metrics).increment();
        var attempt = new Payloads.WebhookAttempt(delivery.deliveryId(), delivery.attempt() + 1, delivery.url(),
                result.statusCode(), result.error(), result.durationMs(), outcome, next);
        LOG.info("webhook {} attempt {} for {}: {}", delivery.deliveryId(), delivery.attempt() + 1,
                delivery.requestId(), outcome + (result.error() == null ? "" : " (" + result.error() + ")"));
        var event = publisher.send(Records.event(JobEvent.of(delivery.requestId(), delivery.keyId(),
                EventType.WEBHOOK_ATTEMPT, "api-gateway/webhooks", attempt)));
        return CompletableFuture.allOf(follow, event);
    }

    private static Duration jittered(Duration delay) {
        double factor = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis((long) (delay.toMillis() * factor));
    }

    private void resumeDue() {
        Instant now = Instant.now();
        var ready = new ArrayList<TopicPartition>();
        pausedUntil.entrySet().removeIf(e -> {
            if (!e.getValue().isAfter(now)) {
                ready.add(e.getKey());
                return true;
            }
            return false;
        });
        ready.retainAll(consumer.assignment());
        if (!ready.isEmpty()) {
            consumer.resume(ready);
        }
    }

    private static WebhookDelivery read(ConsumerRecord<String, byte[]> record) {
        try {
            return Json.fromBytes(record.value(), WebhookDelivery.class);
        } catch (UncheckedIOException e) {
            LOG.warn("skipping malformed webhook delivery at {}-{}@{}", record.topic(), record.partition(),
                    record.offset());
            return null;
        }
    }
}
