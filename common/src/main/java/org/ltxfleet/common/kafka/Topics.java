package org.ltxfleet.common.kafka;

import java.util.List;

/** Every Kafka topic of the fleet, in one place. All are keyed by request id so one job stays ordered. */
public final class Topics {

    /** Submitted jobs ({@link JobMessage}); public: users may produce to it directly. */
    public static final String JOBS = "ltx.jobs";
    /**
     * Jobs of a key past its fair share of the normal queue (the gateway's
     * {@code gateway.fair.share.per.key}); started only when {@link #JOBS} is empty, so one key's
     * backlog never holds back another key's jobs.
     */
    public static final String JOBS_OVERFLOW = "ltx.jobs.overflow";
    /** Submitted jobs of low priority ({@code x-fal-queue-priority: low}); started only when the others are empty. */
    public static final String JOBS_LOW = "ltx.jobs.low";
    /** Preprocessed datasets ready to train. */
    public static final String READY = "ltx.ready";
    /** The lifecycle of every job ({@link org.ltxfleet.common.event.JobEvent}); the gateway's projection source. */
    public static final String EVENTS = "ltx.events";
    /** One billing record per completed job. */
    public static final String BILLING = "ltx.billing";
    /** Requests to workers, such as cancellation ({@link ControlMessage}). */
    public static final String CONTROL = "ltx.control";
    /** Webhook deliveries to attempt now ({@link WebhookDelivery}). */
    public static final String WEBHOOKS = "ltx.webhooks";
    /** Webhook deliveries waiting for a retry, one topic per backoff tier: {@code ltx.webhooks.retry.N}. */
    public static final String WEBHOOK_RETRY_PREFIX = "ltx.webhooks.retry.";
    /** Webhook deliveries that failed for their whole retry window. */
    public static final String WEBHOOK_DEAD_LETTERS = "ltx.webhooks.dead";
    /** How many retry tiers there are (their delays are configuration). */
    public static final int WEBHOOK_RETRY_TIERS = 5;

    private Topics() {
    }

    /** Every topic the stack creates at start-up. */
    public static List<String> all() {
        var all = new java.util.ArrayList<>(List.of(JOBS, JOBS_OVERFLOW, JOBS_LOW, READY, EVENTS, BILLING, CONTROL, WEBHOOKS,
                WEBHOOK_DEAD_LETTERS));
        all.addAll(webhookRetryTiers());
        return List.copyOf(all);
    }

    /** The job topics, highest priority first. */
    public static List<String> jobTopics() {
        return List.of(JOBS, JOBS_OVERFLOW, JOBS_LOW);
    }

    /** The job topic for a priority: {@code low} goes to {@link #JOBS_LOW}, anything else to {@link #JOBS}. */
    public static String jobTopic(String priority) {
        return "low".equalsIgnoreCase(priority) ? JOBS_LOW : JOBS;
    }

    /** The retry tier topics, shortest delay first. */
    public static List<String> webhookRetryTiers() {
        return java.util.stream.IntStream.range(0, WEBHOOK_RETRY_TIERS).mapToObj(i -> WEBHOOK_RETRY_PREFIX + i).toList();
    }
}
