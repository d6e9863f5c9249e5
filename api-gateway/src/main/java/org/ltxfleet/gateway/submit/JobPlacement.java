package org.ltxfleet.gateway.submit;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
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
 * group's assignment, plus this gateway's jobs that view does not hold yet (in flight, or
 * acknowledged at or past the end offsets it read). A job goes to a partition of the
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
    /** Jobs this gateway placed whose record Kafka has not acknowledged yet, per partition. */
    private final Map<TopicPartition, AtomicLong> inFlight = new ConcurrentHashMap<>();
    /** Offsets of this gateway's acknowledged jobs that the last view may not hold yet, per partition. */
    private final Map<TopicPartition, ConcurrentSkipListSet<Long>> stored = new ConcurrentHashMap<>();
    private volatile View view = new View(Map.of(), Map.of(), Map.of(), Map.of());

    /**
     * What the cluster said: each job topic's partition count, each partition's end offset and the
     * group's lag there, and who owns it (absent: nobody, as while a pool is scaled to zero). A job
     * of this gateway is in the lag when its offset is below the end the view read.
     */
    private record View(Map<String, Integer> partitions, Map<TopicPartition, Long> ends, Map<TopicPartition, Long> lag,
                        Map<TopicPartition, String> owner) {

        View withOwners(Map<TopicPartition, String> owners) {
            return new View(partitions, ends, lag, owners);
        }
    }

    /** A new job's request id and the partition it was drawn for (null: placed at random, nothing known yet). */
    public record Placed(String requestId, TopicPartition partition) {
    }

    public JobPlacement(KafkaConnection kafka, List<String> topics) {
        var props = kafka.admin("api-gateway-placement");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        this.admin = Admin.create(props);
        this.topics = List.copyOf(topics);
        refresher.scheduleWithFixedDelay(this::refresh, 0, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * A new request id for a job on {@code topic}, on the partition with the least work ahead of it
     * when that is known; tell {@link #stored} or {@link #notStored} how its record fared.
     */
    public Placed place(String topic) {
        View known = view;
        Integer partitions = known.partitions().get(topic);
        if (partitions == null) {
            return new Placed(UUID.randomUUID().toString(), null);
        }
        var work = new HashMap<TopicPartition, Long>();
        var memberWork = new HashMap<String, Long>();
        known.lag().forEach((tp, lag) -> {
            long load = lag + counter(tp).get() + newer(tp, known.ends().getOrDefault(tp, 0L));
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
        var chosen = new TopicPartition(topic, best);
        counter(chosen).incrementAndGet();
        return new Placed(idOnPartition(best, partitions), chosen);
    }

    /** Kafka acknowledged the placed job's record at {@code offset}. */
    public void stored(Placed job, long offset) {
        if (job.partition() != null) {
            stored.computeIfAbsent(job.partition(), p -> new ConcurrentSkipListSet<>()).add(offset);
            counter(job.partition()).decrementAndGet();
        }
    }

    /** The placed job's record was not written: it is no work of that partition. */
    public void notStored(Placed job) {
        if (job.partition() != null) {
            counter(job.partition()).decrementAndGet();
        }
    }

    private AtomicLong counter(TopicPartition partition) {
        return inFlight.computeIfAbsent(partition, p -> new AtomicLong());
    }

    /** This gateway's acknowledged jobs at or past {@code end}: the view's lag does not hold them yet. */
    private int newer(TopicPartition partition, long end) {
        var offsets = stored.get(partition);
        return offsets == null ? 0 : offsets.tailSet(end).size();
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
                    return ends.thenCombine(committed, (end, done) -> new View(Map.copyOf(partitions), offsets(end),
                                    lags(end, done), Map.of()))
                            .thenCombine(members, View::withOwners);
                })
                .whenComplete((next, error) -> {
                    if (error != null) {
                        LOG.debug("job placement not refreshed: {}", error.toString());
                    } else {
                        view = next;
                        // What the new view holds need not be remembered.
                        stored.forEach((tp, offsets) -> offsets.headSet(next.ends().getOrDefault(tp, 0L)).clear());
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

    private static Map<TopicPartition, Long> offsets(Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends) {
        var offsets = new HashMap<TopicPartition, Long>();
        ends.forEach((tp, end) -> offsets.put(tp, end.offset()));
        return Map.copyOf(offsets);
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
