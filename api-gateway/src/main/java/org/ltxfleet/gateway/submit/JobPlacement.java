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
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
 * Request ids that put a new job on the partition of its topic with the least work. A preprocess
 * worker takes one job at a time from the partitions it owns, so a job hashed onto a partition
 * whose worker is busy waits even while another worker idles; with random ids a batch of 12 jobs
 * split 3 and 9 between two workers. The partition's load is the preprocess group's lag there (jobs
 * waiting or running: a worker commits a job when it ends), read from the cluster every second,
 * plus the jobs this gateway placed since. The id is a random UUID drawn until Kafka's
 * key hash maps it to that partition, so the record stays keyed by its request id and lands where
 * every producer of that id would put it. Until the cluster has answered, ids are plain random ones.
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
    /** Jobs this gateway placed per partition, ever; a view subtracts the count it started from. */
    private final Map<String, AtomicLongArray> placed = new ConcurrentHashMap<>();
    private volatile Map<String, Loads> loads = Map.of();

    /** What the cluster said about one topic: the group's lag per partition, and the placements it already saw. */
    private record Loads(long[] lag, long[] placedBefore) {
    }

    public JobPlacement(KafkaConnection kafka, List<String> topics) {
        var props = kafka.admin("api-gateway-placement");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        this.admin = Admin.create(props);
        this.topics = List.copyOf(topics);
        refresher.scheduleWithFixedDelay(this::refresh, 0, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A new request id for a job on {@code topic}, on its least-loaded partition when the loads are known. */
    public String newRequestId(String topic) {
        Loads known = loads.get(topic);
        AtomicLongArray mine = placed.get(topic);
        if (known == null || mine == null) {
            return UUID.randomUUID().toString();
        }
        int partitions = known.lag().length;
        int start = Math.floorMod(rotation.getAndIncrement(), partitions); // equal loads take turns
        int best = start;
        long bestLoad = Long.MAX_VALUE;
        for (int i = 0; i < partitions; i++) {
            int p = (start + i) % partitions;
            long load = known.lag()[p] + mine.get(p) - known.placedBefore()[p];
            if (load < bestLoad) {
                best = p;
                bestLoad = load;
            }
        }
        mine.incrementAndGet(best);
        return idOnPartition(best, partitions);
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

    /** Asks the cluster for the loads, unless the last answer is still outstanding (a slow or unreachable cluster). */
    private void refresh() {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        Map<String, long[]> placedAtStart = new HashMap<>();
        placed.forEach((topic, counts) -> placedAtStart.put(topic, snapshot(counts)));
        admin.describeTopics(topics).allTopicNames().toCompletionStage()
                .thenCompose(described -> {
                    var partitions = new HashMap<TopicPartition, OffsetSpec>();
                    described.forEach((topic, description) -> description.partitions()
                            .forEach(p -> partitions.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
                    return admin.listOffsets(partitions).all().toCompletionStage()
                            .thenCombine(admin.listConsumerGroupOffsets(Topics.PREPROCESS_GROUP).partitionsToOffsetAndMetadata()
                                    .toCompletionStage(), (ends, committed) -> lags(described.keySet(), ends, committed));
                })
                .whenComplete((lags, error) -> {
                    if (error != null) {
                        LOG.debug("partition loads not refreshed: {}", error.toString());
                    } else {
                        var next = new HashMap<String, Loads>();
                        lags.forEach((topic, lag) -> {
                            placed.computeIfAbsent(topic, t -> new AtomicLongArray(lag.length));
                            long[] before = placedAtStart.getOrDefault(topic, new long[lag.length]);
                            if (placed.get(topic).length() == lag.length && before.length == lag.length) {
                                next.put(topic, new Loads(lag, before));
                            } else { // the topic gained partitions: count afresh
                                placed.put(topic, new AtomicLongArray(lag.length));
                                next.put(topic, new Loads(lag, new long[lag.length]));
                            }
                        });
                        loads = Map.copyOf(next);
                    }
                    refreshing.set(false);
                });
    }

    /** Per topic, end offset minus the group's committed offset of each partition (all of it when none is committed). */
    private static Map<String, long[]> lags(Iterable<String> topics,
                                            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends,
                                            Map<TopicPartition, OffsetAndMetadata> committed) {
        var lags = new HashMap<String, long[]>();
        for (String topic : topics) {
            int partitions = (int) ends.keySet().stream().filter(tp -> tp.topic().equals(topic)).count();
            long[] lag = new long[partitions];
            ends.forEach((tp, end) -> {
                if (tp.topic().equals(topic)) {
                    OffsetAndMetadata done = committed.get(tp);
                    lag[tp.partition()] = Math.max(0, end.offset() - (done == null ? 0 : done.offset()));
                }
            });
            lags.put(topic, lag);
        }
        return lags;
    }

    private static long[] snapshot(AtomicLongArray counts) {
        long[] copy = new long[counts.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = counts.get(i);
        }
        return copy;
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        admin.close();
    }
}
