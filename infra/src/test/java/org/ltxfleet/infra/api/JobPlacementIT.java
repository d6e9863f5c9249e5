package org.ltxfleet.infra.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.JobMessage;
import org.ltxfleet.common.kafka.KafkaSettings;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.infra.stack.FleetStack;
import org.ltxfleet.infra.stack.StackOptions;

/**
 * The gateway puts a submitted job on the partition of {@code ltx.jobs} with the least work for the
 * preprocess group (its lag), on the real broker: a batch spreads evenly, and a backlog some
 * producer left on a few partitions is steered around. The records stay keyed by their request id.
 */
class JobPlacementIT {

    @Test
    void submitsGoToThePartitionsWithTheLeastWork(@TempDir Path dir) throws Exception {
        Files.writeString(Files.createDirectories(dir).resolve("fleet.properties"), "gateway.fair.share.per.key=0\n");
        try (FleetStack stack = FleetStack.start(StackOptions.forTests(dir).withWorkers(false))) {
            var client = TestStacks.client(stack);
            // A user's own producer left two jobs on each of partitions 0, 1 and 2; no worker runs.
            try (var producer = new KafkaProducer<String, byte[]>(KafkaSettings.producer(stack.kafkaBootstrap(), "it"))) {
                for (int partition = 0; partition < 3; partition++) {
                    for (int i = 0; i < 2; i++) {
                        String id = UUID.randomUUID().toString();
                        var job = new JobMessage(1, id, "other-team", GatewaySettings.ENDPOINT_ID, Instant.now(), null,
                                null, null, null, Json.readTree("{\"training_data_url\":\"https://example.com/a.zip\"}"
                                .getBytes()), null, null);
                        producer.send(new ProducerRecord<>(Topics.JOBS, partition, id, Json.toBytes(job))).get();
                    }
                }
            }
            Thread.sleep(2500); // the gateway reads the partitions' lag every second

            List<String> first = submit(client, 6);
            assertThat(partitionsOf(stack, first)).as("the six go where nothing waits")
                    .isEqualTo(Map.of(3, 2, 4, 2, 5, 2));
            List<String> second = submit(client, 6);
            assertThat(partitionsOf(stack, second)).as("now every partition holds two: one each")
                    .isEqualTo(Map.of(0, 1, 1, 1, 2, 1, 3, 1, 4, 1, 5, 1));
        }
    }

    @Test
    void aMemberWithMorePartitionsGetsNoMoreJobs(@TempDir Path dir) throws Exception {
        Files.writeString(Files.createDirectories(dir).resolve("fleet.properties"), "gateway.fair.share.per.key=0\n");
        try (FleetStack stack = FleetStack.start(StackOptions.forTests(dir).withWorkers(false))) {
            // Four members of the preprocess group on ltx.jobs's six partitions own 2, 2, 1 and 1 of them;
            // they join and hold their partitions, taking and committing nothing.
            var members = new ArrayList<KafkaConsumer<String, byte[]>>();
            try {
                for (int i = 0; i < 4; i++) {
                    var member = new KafkaConsumer<String, byte[]>(KafkaSettings.consumer(stack.kafkaBootstrap(),
                            Topics.PREPROCESS_GROUP, "it-member-" + i));
                    member.subscribe(List.of(Topics.JOBS));
                    members.add(member);
                }
                long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (members.stream().mapToInt(m -> m.assignment().size()).sum() != 6
                        || members.stream().anyMatch(m -> m.assignment().isEmpty())) {
                    assertThat(System.nanoTime()).as("the group settles").isLessThan(until);
                    members.forEach(m -> m.poll(Duration.ofMillis(100)));
                }
                Thread.sleep(2500); // the gateway reads the group every second

                List<String> ids = submit(TestStacks.client(stack), 8);
                var perPartition = partitionsOf(stack, ids);
                var perMember = new ArrayList<Integer>();
                var owned = new ArrayList<Integer>();
                for (var member : members) {
                    perMember.add(member.assignment().stream().mapToInt(tp -> perPartition.getOrDefault(tp.partition(), 0)).sum());
                    owned.add(member.assignment().size());
                }
                assertThat(owned).as("partitions per member").containsExactlyInAnyOrder(2, 2, 1, 1);
                // Balancing partitions instead would give the members with two partitions 3 of the 8 jobs.
                assertThat(perMember).as("jobs per member (owning %s partitions)", owned).containsOnly(2);
            } finally {
                members.forEach(KafkaConsumer::close);
            }
        }
    }

    private static List<String> submit(FleetClient client, int count) throws Exception {
        var ids = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            var reply = client.submit("{\"training_data_url\":\"https://example.com/data-" + i + ".zip\"}");
            assertThat(reply.status()).as(reply.rawBody()).isEqualTo(200);
            ids.add(reply.body().get("request_id").asText());
        }
        return ids;
    }

    /** How many of {@code ids} each partition of ltx.jobs holds, read back from the broker with their keys. */
    private static Map<Integer, Integer> partitionsOf(FleetStack stack, List<String> ids) {
        var counts = new TreeMap<Integer, Integer>();
        try (var consumer = new KafkaConsumer<String, byte[]>(KafkaSettings.consumer(stack.kafkaBootstrap(), null, "it"))) {
            var partitions = consumer.partitionsFor(Topics.JOBS).stream()
                    .map(p -> new TopicPartition(Topics.JOBS, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int found = 0;
            while (found < ids.size() && System.nanoTime() < until) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (ids.contains(record.key())) {
                        counts.merge(record.partition(), 1, Integer::sum);
                        found++;
                    }
                }
            }
        }
        return counts;
    }
}
