package org.ltxfleet.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.kafka.KafkaSettings;

/**
 * Evidence for the consumption model (docs/RELIABILITY.md): what Kafka 4.4's share groups
 * (KIP-932) do for a work queue of long jobs, on a real broker with the record lock shortened to
 * 2 s so that "hours" take seconds. Each test states one property we would rely on.
 */
class ShareGroupEvaluationIT {

    private static final Duration LOCK = Duration.ofSeconds(2);

    private static Path dir;
    /** One broker for the three tests: each uses a group and a topic of its own. */
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        dir = java.nio.file.Files.createTempDirectory("fleet-it-share-groups");
        kafka = broker(dir);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        kafka.close();
    }

    private static EmbeddedKafka broker(Path dir) throws Exception {
        return EmbeddedKafka.start(dir, 0, Map.of("group.share.min.record.lock.duration.ms", "1000",
                "group.share.record.lock.duration.ms", Long.toString(LOCK.toMillis()),
                "group.share.delivery.count.limit", "10"));
    }

    private static void prepare(EmbeddedKafka kafka, String group, String... keys) throws Exception {
        kafka.createTopics(Map.of(group, 1)); // one topic per group, named after it
        try (var admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), List.of(
                    new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET))))
                    .all().get();
        }
        produce(kafka, group, keys);
    }

    private static void produce(EmbeddedKafka kafka, String topic, String... keys) throws Exception {
        try (var producer = new KafkaProducer<String, byte[]>(KafkaSettings.producer(kafka.bootstrapServers(), "it"))) {
            for (String key : keys) {
                producer.send(new ProducerRecord<>(topic, 0, key, new byte[0])).get();
            }
        }
    }

    /** A member that takes one record at a time and acknowledges explicitly. */
    private static KafkaShareConsumer<String, byte[]> member(EmbeddedKafka kafka, String group, String name) {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        props.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        props.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
        var consumer = new KafkaShareConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(group));
        return consumer;
    }

    private static ConsumerRecord<String, byte[]> takeOne(KafkaShareConsumer<String, byte[]> consumer, Duration within) {
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                return record;
            }
        }
        return null;
    }

    /**
     * Renews a held record's lock the way the client allows: a RENEW acknowledgement goes out with
     * the next poll, and that poll hands the record back (same delivery). Returns the record as
     * handed back; records the poll acquired besides it are added to {@code extra}.
     */
    private static ConsumerRecord<String, byte[]> renew(KafkaShareConsumer<String, byte[]> consumer,
                                                        ConsumerRecord<String, byte[]> held,
                                                        List<ConsumerRecord<String, byte[]>> extra) {
        consumer.acknowledge(held, AcknowledgeType.RENEW);
        long until = System.nanoTime() + LOCK.toNanos() / 2;
        ConsumerRecord<String, byte[]> back = null;
        while (back == null && System.nanoTime() < until) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                if (record.offset() == held.offset()) {
                    back = record;
                } else {
                    extra.add(record);
                }
            }
        }
        assertThat(back).as("the renewed record comes back from the poll").isNotNull();
        return back;
    }

    /**
     * Renews as {@link #renew} does and gives any record the renewing poll acquired besides it
     * straight back (RELEASE), as a worker busy with one job would, so that another member gets it.
     */
    private static ConsumerRecord<String, byte[]> renewReleasingExtras(KafkaShareConsumer<String, byte[]> consumer,
                                                                      ConsumerRecord<String, byte[]> held,
                                                                      List<ConsumerRecord<String, byte[]>> extra) {
        int before = extra.size();
        ConsumerRecord<String, byte[]> back = renew(consumer, held, extra);
        extra.subList(before, extra.size()).forEach(r -> consumer.acknowledge(r, AcknowledgeType.RELEASE));
        return back;
    }

    @Test
    void aRenewedRecordStaysWithItsMemberForManyLockDurations() throws Exception {
        prepare(kafka, "it-renew", "long", "next");
        try (var holder = member(kafka, "it-renew", "holder"); var other = member(kafka, "it-renew", "other")) {
            ConsumerRecord<String, byte[]> held = takeOne(holder, Duration.ofSeconds(30));
            assertThat(held.key()).isEqualTo("long");
            var seenByOther = new ArrayList<String>();
            long until = System.nanoTime() + LOCK.multipliedBy(5).toNanos();
            var extra = new ArrayList<ConsumerRecord<String, byte[]>>();
            int renewals = 0;
            while (System.nanoTime() < until) {
                // What a worker's polling thread would do while the job runs.
                held = renew(holder, held, extra);
                renewals++;
                ConsumerRecord<String, byte[]> got = takeOne(other, Duration.ofMillis(LOCK.toMillis() / 4));
                if (got != null) {
                    seenByOther.add(got.key());
                    other.acknowledge(got, AcknowledgeType.ACCEPT);
                    other.commitSync();
                }
            }
            holder.acknowledge(held, AcknowledgeType.ACCEPT);
            holder.commitSync();
            assertThat(seenByOther).doesNotContain("long");
            assertThat(held.deliveryCount()).contains((short) 1);
            assertThat(extra).as("renewing polls acquire nothing more (record_limit, max.poll.records=1)").isEmpty();
            System.out.printf("RELIABILITY share-group: one record held %d lock durations by %d renewals, "
                    + "delivery count still 1, never seen by the other member (which got %s)%n", 5, renewals,
                    seenByOther);
        }
    }

    @Test
    void aSilentMembersRecordGoesToAnotherWithItsDeliveryCounted() throws Exception {
        prepare(kafka, "it-crash", "job");
        var crashed = member(kafka, "it-crash", "crashed");
        try (var survivor = member(kafka, "it-crash", "survivor")) {
            assertThat(takeOne(crashed, Duration.ofSeconds(30)).key()).isEqualTo("job");
            // The member goes silent (a frozen or killed JVM): no ack, no renewal, no close.
            long silentAt = System.nanoTime();
            ConsumerRecord<String, byte[]> again = takeOne(survivor, Duration.ofSeconds(60));
            double seconds = (System.nanoTime() - silentAt) / 1e9;
            assertThat(again.key()).isEqualTo("job");
            // At least 2: on a loaded machine the survivor's own first acquisition can outlive the
            // lock before its poll returns (CI once saw 3).
            short deliveries = again.deliveryCount().orElseThrow();
            assertThat(deliveries).isGreaterThanOrEqualTo((short) 2);
            survivor.acknowledge(again, AcknowledgeType.ACCEPT);
            survivor.commitSync();
            System.out.printf("RELIABILITY share-group: a silent member's record redelivered after %.1f s "
                    + "(lock %d s), delivery count %d%n", seconds, LOCK.toSeconds(), deliveries);
        } finally {
            crashed.close(Duration.ZERO);
        }
    }

    @Test
    void moreMembersThanPartitionsWorkAtOnce() throws Exception {
        prepare(kafka, "it-wide");
        var members = List.of(member(kafka, "it-wide", "m1"), member(kafka, "it-wide", "m2"),
                member(kafka, "it-wide", "m3"));
        try {
            // All three join before there is work, so that none is still joining when the others renew.
            long joined = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < joined) {
                members.forEach(m -> assertThat(m.poll(Duration.ofMillis(100)).isEmpty()).isTrue());
            }
            produce(kafka, "it-wide", "a", "b", "c");
            // Each member takes a record and keeps renewing it while the others take theirs.
            var held = new java.util.HashMap<Integer, ConsumerRecord<String, byte[]>>();
            var extra = new ArrayList<ConsumerRecord<String, byte[]>>();
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (held.size() < members.size() && System.nanoTime() < until) {
                for (int i = 0; i < members.size(); i++) {
                    var member = members.get(i);
                    if (held.containsKey(i)) {
                        held.put(i, renewReleasingExtras(member, held.get(i), extra));
                    } else {
                        ConsumerRecord<String, byte[]> record = takeOne(member, Duration.ofMillis(LOCK.toMillis() / 4));
                        if (record != null) {
                            held.put(i, record);
                        }
                    }
                }
            }
            // One partition, three records in progress at once, one per member, each delivered once.
            assertThat(held.values()).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("a", "b", "c");
            // Not asserted, reported: a record a renewing poll acquired and released comes back to
            // another member with its delivery count raised.
            System.out.printf("RELIABILITY share-group: 3 members of one partition held a, b, c at once; delivery "
                    + "counts %s; extra records acquired while renewing: %d%n", held.values().stream()
                    .map(r -> r.key() + "=" + r.deliveryCount().orElse((short) 0)).sorted().toList(), extra.size());
        } finally {
            members.forEach(m -> m.close(Duration.ZERO));
        }
    }
}
