package org.ltxfleet.gateway.submit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
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
    private final Map<TopicPartition, Unseen> stored = new ConcurrentHashMap<>();
    private volatile Index index = new Index(new View(Map.of(), Map.of(), Map.of(), Map.of()), List.of(), Map.of(), 0);

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

    /**
     * A partition with lag as a submit reads it: the view's lag, this gateway's counters of it, and
     * its owner's number in the view ({@code -1}: nobody).
     */
    private record Slot(long lag, AtomicLong inFlight, Unseen unseen, int owner) {

        long work() {
            return lag + inFlight.get() + unseen.count();
        }
    }

    /**
     * A view laid out once per refresh for the submits until the next: every partition with lag as
     * a slot, each topic's partitions by number as the index of their slot ({@code -1}: none) and
     * the owner's number, so a submit sums arrays instead of building maps.
     */
    private record Index(View view, List<Slot> slots, Map<String, Layout> topics, int members) {
    }

    /** A topic's partitions by number: each one, the index of its slot and its owner's number ({@code -1}: none). */
    private record Layout(TopicPartition[] partition, int[] slot, int[] owner) {
    }

    private Index index(View view) {
        var members = new HashMap<String, Integer>();
        view.owner().values().forEach(owner -> members.putIfAbsent(owner, members.size()));
        var slots = new ArrayList<Slot>();
        var slotOf = new HashMap<TopicPartition, Integer>();
        view.lag().forEach((tp, lag) -> {
            slotOf.put(tp, slots.size());
            slots.add(new Slot(lag, counter(tp), unseen(tp), members.getOrDefault(view.owner().get(tp), -1)));
        });
        var topics = new HashMap<String, Layout>();
        view.partitions().forEach((topic, count) -> {
            var layout = new Layout(new TopicPartition[count], new int[count], new int[count]);
            for (int p = 0; p < count; p++) {
                var tp = new TopicPartition(topic, p);
                layout.partition()[p] = tp;
                layout.slot()[p] = slotOf.getOrDefault(tp, -1);
                layout.owner()[p] = members.getOrDefault(view.owner().get(tp), -1);
            }
            topics.put(topic, layout);
        });
        return new Index(view, List.copyOf(slots), Map.copyOf(topics), members.size());
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
        Index known = index;
        Layout layout = known.topics().get(topic);
        if (layout == null) {
            return new Placed(UUID.randomUUID().toString(), null);
        }
        int partitions = layout.slot().length;
        List<Slot> slots = known.slots();
        Scratch scratch = SCRATCH.get();
        long[] work = scratch.work(slots.size());
        long[] memberWork = scratch.memberWork(known.members());
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            work[i] = slot.work();
            if (slot.owner() >= 0) {
                memberWork[slot.owner()] += work[i];
            }
        }
        int start = Math.floorMod(rotation.getAndIncrement(), partitions); // equal loads take turns
        int best = start;
        long bestMember = Long.MAX_VALUE;
        long bestPartition = Long.MAX_VALUE;
        for (int i = 0; i < partitions; i++) {
            int p = (start + i) % partitions;
            long partitionWork = layout.slot()[p] < 0 ? 0 : work[layout.slot()[p]];
            int owner = layout.owner()[p];
            long ownerWork = owner < 0 ? partitionWork : memberWork[owner];
            if (ownerWork < bestMember || ownerWork == bestMember && partitionWork < bestPartition) {
                best = p;
                bestMember = ownerWork;
                bestPartition = partitionWork;
            }
        }
        var chosen = layout.partition()[best];
        counter(chosen).incrementAndGet();
        return new Placed(idOnPartition(best, partitions), chosen);
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * A thread's arrays for {@link #place}'s sums, reused from submit to submit: two new arrays a
     * submit were a share of a saturated gateway's allocation ({@code ./fleet bench gateway}).
     * {@code place} calls nothing that could place again on the same thread, so one set a thread suffices.
     */
    private static final class Scratch {

        private long[] work = new long[0];
        private long[] memberWork = new long[0];

        /** At least {@code size} entries, the first {@code size} of them undefined: every one is written before it is read. */
        long[] work(int size) {
            if (work.length < size) {
                work = new long[size];
            }
            return work;
        }

        /** At least {@code size} entries, the first {@code size} of them zero. */
        long[] memberWork(int size) {
            if (memberWork.length < size) {
                memberWork = new long[size];
            } else {
                java.util.Arrays.fill(memberWork, 0, size, 0L);
            }
            return memberWork;
        }
    }

    /** Kafka acknowledged the placed job's record at {@code offset}. */
    public void stored(Placed job, long offset) {
        if (job.partition() != null) {
            // Below the view's end: the view's lag holds it already.
            if (offset >= index.view().ends().getOrDefault(job.partition(), 0L)) {
                unseen(job.partition()).add(offset);
            }
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

    private Unseen unseen(TopicPartition partition) {
        return stored.computeIfAbsent(partition, p -> new Unseen());
    }

    /**
     * A partition's acknowledged offsets past the view's end, counted as they come and go: counting
     * a skip list's tail walks it, and every submit counted every partition's, so a submit cost
     * grew with the second's traffic (half a saturated gateway's event loop, {@code ./fleet bench
     * gateway}). Between a new view and the forgetting of what it holds, and for an acknowledgement
     * handled as the view changed, a job may count in both the lag and here until the next view.
     */
    static final class Unseen {

        private final ConcurrentSkipListSet<Long> offsets = new ConcurrentSkipListSet<>();
        private final AtomicLong count = new AtomicLong();

        void add(long offset) {
            if (offsets.add(offset)) {
                count.incrementAndGet();
            }
        }

        /** Forgets the offsets below {@code end}, which a view holds now. */
        void forgetBelow(long end) {
            Long first;
            while ((first = offsets.ceiling(Long.MIN_VALUE)) != null && first < end) {
                if (offsets.remove(first)) {
                    count.decrementAndGet();
                }
            }
        }

        long count() {
            return count.get();
        }
    }

    /** A random UUID whose key hash (Kafka's default partitioner) is {@code partition}: about {@code partitions} draws. */
    static String idOnPartition(int partition, int partitions) {
        RandomIds ids = RANDOM_IDS.get();
        byte[] text = ids.text;
        while (true) {
            // Hashed as its text, as a record key is written; only the one kept becomes a String.
            format(ids.next(), text);
            if (partitionOf(text, partitions) == partition) {
                return new String(text, StandardCharsets.US_ASCII);
            }
        }
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** Writes {@code id} as {@link UUID#toString()} spells it (36 characters) into {@code text}. */
    static void format(UUID id, byte[] text) {
        int at = 0;
        for (int nibble = 0; nibble < 32; nibble++) {
            if (nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20) {
                text[at++] = '-';
            }
            long bits = nibble < 16 ? id.getMostSignificantBits() : id.getLeastSignificantBits();
            text[at++] = HEX[(int) (bits >>> (60 - 4 * (nibble % 16))) & 0xF];
        }
    }

    private static final ThreadLocal<RandomIds> RANDOM_IDS = ThreadLocal.withInitial(RandomIds::new);

    /**
     * Version 4 UUIDs as {@link UUID#randomUUID()} makes them (122 bits from a {@link SecureRandom}
     * each, so ids stay unguessable), from a block of random bytes per thread: a placed id takes
     * about as many draws as the topic has partitions, and a draw each through the JVM's shared
     * SecureRandom was a tenth of a submit's event-loop time ({@code ./fleet bench gateway}).
     */
    static final class RandomIds {

        private static final int IDS_PER_BLOCK = 32;
        /** A candidate id's text, reused from draw to draw. */
        final byte[] text = new byte[36];
        /**
         * The JDK's DRBG (NIST SP 800-90A, seeded by the operating system): the default NativePRNG
         * reads the kernel's generator and mixes in a SHA1PRNG on every block, twice the time a
         * block (measured: 4-6 against 2.1-2.5 µs per 512 bytes), which a submit's draws paid.
         */
        private final SecureRandom random = drbg();
        private final ByteBuffer block = ByteBuffer.allocate(16 * IDS_PER_BLOCK).limit(0);

        private static SecureRandom drbg() {
            try {
                return SecureRandom.getInstance("DRBG");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK since 9 has DRBG", e);
            }
        }

        UUID next() {
            if (!block.hasRemaining()) {
                random.nextBytes(block.clear().array());
            }
            long high = block.getLong();
            long low = block.getLong();
            // The version (4: random) and IETF variant bits, as RFC 9562 sets them.
            return new UUID(high & ~0xF000L | 0x4000L, low & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L);
        }
    }

    /** The partition Kafka's default partitioner gives a record keyed by {@code id}. */
    static int partitionOf(String id, int partitions) {
        return partitionOf(id.getBytes(StandardCharsets.UTF_8), partitions);
    }

    private static int partitionOf(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
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
                        index = index(next);
                        // What the new view holds need not be remembered.
                        stored.forEach((tp, offsets) -> offsets.forgetBelow(next.ends().getOrDefault(tp, 0L)));
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
