package org.ltxfleet.gateway.submit;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.ltxfleet.common.kafka.KafkaConnection;
import org.ltxfleet.common.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request ids that put a new job where a preprocess worker will get to it soonest. A worker takes
 * one job at a time from the partitions it owns, so a job hashed onto a busy worker's partition
 * waits even while another worker idles; with random ids a batch of 12 jobs split 3 and 9 between
 * two workers. The work waiting at a partition is the preprocess group's lag there (jobs waiting or
 * running: a worker commits a job when it ends), read from the cluster every second with the
 * group's assignment, plus the jobs this gateway placed since. A job goes to a partition of the
 * member with the least work over all the partitions it owns (a pool of 4 on 6 partitions owns 2,
 * 2, 1 and 1), then to that member's partition with the least. The id is a random UUID drawn until
 * Kafka's key hash maps it there, so the record stays keyed by its request id and lands where every
 * producer of that id would put it. Until the cluster has answered, ids are plain random ones.
 */
public final class JobPlacement implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobPlacement.class);
    private static final long REFRESH_MILLIS = 1000;

    private final Admin admin;
    private final List<String> topics;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("gateway-job-placement").daemon().factory());
    private final AtomicInteger rotation = new AtomicInteger();
    /** Jobs this gateway placed per partition, ever; a view subtracts the counts it started from. */
    private final Map<TopicPartition, AtomicLong> placed = new ConcurrentHashMap<>();
    private volatile View view = new View(Map.of(), Map.of(), Map.of(), Map.of());

    /**
     * What the cluster said: each job topic's partition count, the group's lag per partition, who
     * owns each (absent: nobody, as while a pool is scaled to zero), and the placements it already saw.
     */
    private record View(Map<String, Integer> partitions, Map<TopicPartition, Long> lag,
                        Map<TopicPartition, String> owner, Map<TopicPartition, Long> placedBefore) {
    }

    public JobPlacement(KafkaConnection kafka, List<String> topics) {
        var props = kafka.admin("api-gateway-placement");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        this.admin = Admin.create(props);
        this.topics = List.copyOf(topics);
        refresher.scheduleWithFixedDelay(this::refresh, 0, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A new request id for a job on {@code topic}, on the partition with the least work ahead of it when that is known. */
    public String newRequestId(String topic) {
        View known = view;
        Integer partitions = known.partitions().get(topic);
        if (partitions == null) {
            return UUID.randomUUID().toString();
        }
        var work = new HashMap<TopicPartition, Long>();
        var memberWork = new HashMap<String, Long>();
        known.lag().forEach((tp, lag) -> {
            long load = lag + placed(tp).get() - known.placedBefore().getOrDefault(tp, 0L);
            work.put(tp, load);
            String owner = known.owner().get(tp);
            if (owner != null) {
                memberWork.merge(owner, load, Long::sum);
            }
        });
        int start = Math.floorMod(rotation.getAndIncrement(), partitions); // equal loads take turns
        int best = start;
        long bestMember = Long.MAX_VALUE;
        long bestPartition = Long.MAX_VALUE;
        for (int i = 0; i < partitions; i++) {
            var tp = new TopicPartition(topic, (start + i) % partitions);
            long partitionWork = work.getOrDefault(tp, 0L);
            String owner = known.owner().get(tp);
            long ownerWork = owner == null ? partitionWork : memberWork.getOrDefault(owner, partitionWork);
            if (ownerWork < bestMember || ownerWork == bestMember && partitionWork < bestPartition) {
                best = tp.partition();
                bestMember = ownerWork;
                bestPartition = partitionWork;
            }
        }
        placed(new TopicPartition(topic, best)).incrementAndGet();
        return idOnPartition(best, partitions);
    }

    private AtomicLong placed(TopicPartition partition) {
        return placed.computeIfAbsent(partition, p -> new AtomicLong());
    }

    /** A random UUID whose key hash (Kafka's default partitioner) is {@code partition}: about {@code partitions} draws. */
    static String idOnPartition(int partition, int partitions) {
        while (true) {
            String id = UUID.randomUUID().toString();
            if (partitionOf(id, partitions) == partition) {
                return id;
            }
        }
    }

    /** The partition Kafka's default partitioner gives a record keyed by {@code id}. */
    static int partitionOf(String id, int partitions) {
        return Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** Asks the cluster for a new view, unless the last question is still open (a slow or unreachable cluster). */
    private void refresh() {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        var placedAtStart = new HashMap<TopicPartition, Long>();
        placed.forEach((tp, count) -> placedAtStart.put(tp, count.get()));
        String group = Topics.PREPROCESS_GROUP;
        admin.describeTopics(topics).allTopicNames().toCompletionStage()
                .thenCompose(described -> {
                    var partitions = new HashMap<String, Integer>();
                    var latest = new HashMap<TopicPartition, OffsetSpec>();
                    described.forEach((topic, description) -> {
                        partitions.put(topic, description.partitions().size());
                        description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()),
                                OffsetSpec.latest()));
                    });
                    var ends = admin.listOffsets(latest).all().toCompletionStage();
                    var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                            .toCompletionStage();
                    // A group that does not exist yet (no worker ever joined) has no owners.
                    var members = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                            .toCompletionStage().thenApply(JobPlacement::owners).exceptionally(error -> Map.of());
                    return ends.thenCombine(committed, JobPlacement::lags)
                            .thenCombine(members, (lag, owners) -> new View(Map.copyOf(partitions), lag, owners,
                                    Map.copyOf(placedAtStart)));
                })
                .whenComplete((next, error) -> {
                    if (error != null) {
                        LOG.debug("job placement not refreshed: {}", error.toString());
                    } else {
                        view = next;
                    }
                    refreshing.set(false);
                });
    }

    /** End offset minus the group's committed offset of each partition (all of it when none is committed). */
    private static Map<TopicPartition, Long> lags(Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends,
                                                  Map<TopicPartition, OffsetAndMetadata> committed) {
        var lags = new HashMap<TopicPartition, Long>();
        ends.forEach((tp, end) -> {
            OffsetAndMetadata done = committed.get(tp);
            lags.put(tp, Math.max(0, end.offset() - (done == null ? 0 : done.offset())));
        });
        return Map.copyOf(lags);
    }

    private static Map<TopicPartition, String> owners(ConsumerGroupDescription group) {
        var owners = new HashMap<TopicPartition, String>();
        group.members().forEach(member -> member.assignment().topicPartitions()
                .forEach(tp -> owners.put(tp, member.consumerId())));
        return Map.copyOf(owners);
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        admin.close();
    }
}
