package org.ltxfleet.common.kafka;

import java.time.Duration;
import java.util.List;

/** Every Kafka topic of the fleet, in one place. All are keyed by request id so one job stays ordered. */
public final class Topics {

    /** Submitted jobs ({@link JobMessage}); public: users may produce to it directly. */
    public static final String JOBS = "ltx.jobs";
    /** The consumer group of the preprocess workers on the job topics (the gateway reads its lag to place jobs). */
    public static final String PREPROCESS_GROUP = "ltx-preprocess";
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

    /** Every topic of the fleet. */
    public static List<String> all() {
        return specs().stream().map(TopicSpec::name).toList();
    }

    /** How every topic is made, in the order of {@link #all()} (docs/OPERATIONS.md explains each). */
    public static List<TopicSpec> specs() {
        Duration week = Duration.ofDays(7);
        // Retries wait in their tier up to the longest delay; a week is far past the 24 h window.
        var specs = new java.util.ArrayList<>(List.of(
                new TopicSpec(JOBS, 6, null, "submitted jobs; the gateway replays them"),
                new TopicSpec(JOBS_OVERFLOW, 6, null, "jobs of a key past its fair share"),
                new TopicSpec(JOBS_LOW, 6, null, "low-priority jobs"),
                // Kept for ever, as the jobs: a job may wait behind a training backlog for longer than any
                // time limit, and a deleted ready message would leave it IN_PROGRESS for good.
                new TopicSpec(READY, 6, null, "preprocessed jobs waiting for a train worker"),
                new TopicSpec(EVENTS, 6, null, "every job's lifecycle; the gateway replays it"),
                new TopicSpec(BILLING, 3, null, "the ledger"),
                // Kept for ever: a cancel deleted while its job still waits would let the job run.
                new TopicSpec(CONTROL, 1, null, "cancellations; workers replay them"),
                new TopicSpec(WEBHOOKS, 3, week, "webhook deliveries due now"),
                new TopicSpec(WEBHOOK_DEAD_LETTERS, 1, null, "webhook deliveries that failed for their window")));
        webhookRetryTiers().forEach(tier -> specs.add(new TopicSpec(tier, 3, week, "webhook deliveries waiting")));
        return List.copyOf(specs);
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
