package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.JobEvent;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.JobMessage;
import org.ltxfleet.common.kafka.KafkaSettings;
import org.ltxfleet.common.kafka.Records;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.common.kafka.WebhookDelivery;
import org.ltxfleet.gateway.projection.JobProjection;
import org.ltxfleet.gateway.webhook.WebhookDispatcher;
import org.ltxfleet.infra.stack.EmbeddedKafka;

/**
 * The dispatcher reads {@code ltx.events} at its own pace, the projection at its own: a job's end
 * that the dispatcher sees long before the projection does (a gateway replaying a long history, a
 * slow projection) still gets exactly one webhook delivery.
 */
class WebhookDispatchLagIT {

    @Test
    void anEndTheProjectionSeesLateStillGetsItsWebhook(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(Map.of(Topics.EVENTS, 1, Topics.WEBHOOKS, 1));
            JobMessage job = job("lagging-job");
            JobEvent end = end(job);
            send(kafka, end);
            var projection = new JobProjection();
            try (var dispatcher = new WebhookDispatcher(kafka.connection(), projection, links())) {
                Thread.sleep(15_000);  // the projection is 15 s behind the dispatcher
                projection.submitted(job);
                projection.apply(end);
                List<WebhookDelivery> deliveries = deliveries(kafka, Duration.ofSeconds(30), 1);
                assertThat(deliveries).singleElement().satisfies(d -> {
                    assertThat(d.requestId()).isEqualTo(job.requestId());
                    assertThat(d.deliveryId()).isEqualTo(WebhookDispatcher.deliveryId(job.requestId()));
                });
            }
        }
    }

    @Test
    void eventsThatEndNoJobAreCommittedTogetherNotOneTransactionPerPoll(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(Map.of(Topics.EVENTS, 1, Topics.WEBHOOKS, 1));
            var events = new TopicPartition(Topics.EVENTS, 0);
            try (var dispatcher = new WebhookDispatcher(kafka.connection(), new JobProjection(), links());
                 var producer = new KafkaProducer<String, byte[]>(KafkaSettings.producer(kafka.bootstrapServers(), "it"));
                 var admin = org.apache.kafka.clients.admin.Admin.create(Map.<String, Object>of("bootstrap.servers",
                         kafka.bootstrapServers()))) {
                Thread.sleep(3000); // the dispatcher joins its group
                var commits = new java.util.LinkedHashSet<Long>();
                long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                int sent = 0;
                while (System.nanoTime() < until && !commits.contains(40L)) {
                    if (sent < 40) { // a job's log lines, one every 100 ms: most polls read one or two
                        producer.send(Records.event(JobEvent.of("busy-job", "key-1", EventType.LOG, "it",
                                new Payloads.Log("info", "line " + sent, "train")))).get();
                        sent++;
                    }
                    var committed = admin.listConsumerGroupOffsets("ltx-webhook-dispatch").partitionsToOffsetAndMetadata()
                            .get().get(events);
                    if (committed != null) {
                        commits.add(committed.offset());
                    }
                    Thread.sleep(100);
                }
                assertThat(commits).as("the offsets the group went through").contains(40L);
                // One transaction per poll moved the offset a step at a time, 20 or more of them.
                assertThat(commits).as("offset commits for 40 events over 4 s").hasSizeLessThanOrEqualTo(3);
            }
        }
    }

    @Test
    void anEndWrittenUnderAnotherKeyNeitherEndsTheJobNorBlocksItsPartition(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(Map.of(Topics.EVENTS, 1, Topics.WEBHOOKS, 1));
            var projection = new JobProjection();
            JobMessage odd = job("odd-job");
            JobMessage fine = job("fine-job");
            projection.submitted(odd);
            projection.submitted(fine);
            JobEvent foreign = JobEvent.of(odd.requestId(), "another-key", EventType.FAILED, "it",
                    new Payloads.Failed(500, "internal_error", Json.toTree("not yours"), "preprocess"));
            JobEvent fineEnd = end(fine);
            projection.apply(foreign);
            projection.apply(fineEnd);
            assertThat(projection.find(odd.requestId(), odd.keyId()).orElseThrow().phase().terminal())
                    .as("another key's end leaves the job as it was").isFalse();
            send(kafka, foreign, fineEnd);
            try (var dispatcher = new WebhookDispatcher(kafka.connection(), projection, links())) {
                assertThat(deliveries(kafka, Duration.ofSeconds(30), 1)).extracting(WebhookDelivery::requestId)
                        .containsExactly(fine.requestId());
            }
        }
    }

    @Test
    void anEndTheProjectionNeverSeesIsGivenUpWhileTheConsumerKeepsPolling(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            kafka.createTopics(Map.of(Topics.EVENTS, 1, Topics.WEBHOOKS, 1));
            var projection = new JobProjection();
            JobMessage fine = job("fine-after-ghost");
            projection.submitted(fine);
            JobEvent fineEnd = end(fine);
            projection.apply(fineEnd);
            // The ghost's submission never reaches the projection; its end waits, then is given up.
            send(kafka, end(job("ghost-job")), fineEnd);
            // A member silent for 4 s is evicted: the wait must poll on, not block the loop.
            var connection = org.ltxfleet.common.kafka.KafkaConnection.from(org.ltxfleet.common.config.FleetConfig.empty()
                    .with("kafka.bootstrap.servers", kafka.bootstrapServers())
                    .with("kafka.consumer.max.poll.interval.ms", "4000"));
            try (var dispatcher = new WebhookDispatcher(connection, projection, links(), Duration.ofSeconds(8))) {
                assertThat(deliveries(kafka, Duration.ofSeconds(40), 1)).extracting(WebhookDelivery::requestId)
                        .containsExactly(fine.requestId());
                assertThat(dispatcher.givenUp()).isEqualTo(1);
                assertThat(dispatcher.health().up()).as(dispatcher.health().toString()).isTrue();
            }
        }
    }

    private static JobMessage job(String id) {
        return new JobMessage(1, id, "key-1", "fal-ai/ltx23-trainer-v2/interpolate", Instant.now(),
                "https://hooks.example/" + id, "normal", null, null, Json.object(), null, null);
    }

    private static JobEvent end(JobMessage job) {
        return JobEvent.of(job.requestId(), job.keyId(), EventType.FAILED, "it",
                new Payloads.Failed(422, "no_usable_data", Json.toTree("nothing usable"), "preprocess"));
    }

    private static void send(EmbeddedKafka kafka, JobEvent... events) throws Exception {
        try (var producer = new KafkaProducer<String, byte[]>(KafkaSettings.producer(kafka.bootstrapServers(), "it"))) {
            for (JobEvent event : events) {
                producer.send(Records.event(event)).get();
            }
        }
    }

    private static org.ltxfleet.gateway.storage.OutputLinks links() {
        return new org.ltxfleet.gateway.storage.OutputLinks((object, valid) -> object.toString(), Duration.ofDays(1));
    }

    private static List<WebhookDelivery> deliveries(EmbeddedKafka kafka, Duration within, int expected) {
        var found = new ArrayList<WebhookDelivery>();
        try (var consumer = new KafkaConsumer<String, byte[]>(KafkaSettings.consumer(kafka.bootstrapServers(), null, "it"))) {
            var partition = new TopicPartition(Topics.WEBHOOKS, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long until = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < until && found.size() < expected) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> found.add(Json.fromBytes(r.value(), WebhookDelivery.class)));
            }
            // Anything more would be a second delivery: give it a moment to show up.
            long settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < settle) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> found.add(Json.fromBytes(r.value(), WebhookDelivery.class)));
            }
        }
        return found;
    }
}
