package org.ltxfleet.common.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.TopicPartition;

/**
 * The work groups' partition assignment: cooperative (a rebalance revokes only what moves, so
 * members keep their positions), sticky (a partition stays with its owner while the owner stays)
 * and balanced per topic (each priority topic is spread over the members on its own), and it never
 * moves a <em>busy</em> partition, the one whose job a member is running. Members say which that
 * is in their subscription's user data at every join. Kafka's own assignors cannot know it:
 * Range and RoundRobin move partitions by member id order and revoke everything (eager), the
 * cooperative-sticky one may revoke the busy partition to balance a joiner, and the new consumer
 * protocol (KIP-848) assigns on the broker, which cannot see a running job either. A partition that
 * moves between two members is left unassigned for one round, as the cooperative protocol wants:
 * its owner revokes it, rejoins, and the next round gives it to the new owner.
 *
 * <p>The member's busy partition comes from a {@code Supplier<TopicPartition>} placed in the
 * consumer's properties under {@link #BUSY} (null: idle).
 */
public final class BusyPartitionAssignor implements ConsumerPartitionAssignor, Configurable {

    /** The consumer property holding this member's {@code Supplier<TopicPartition>} of its busy partition. */
    public static final String BUSY = "ltx.busy.partition";
    static final String NAME = "ltx-busy-sticky";

    private Supplier<TopicPartition> busy = () -> null;

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        if (configs.get(BUSY) instanceof Supplier<?> supplier) {
            this.busy = (Supplier<TopicPartition>) supplier;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.COOPERATIVE);
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        TopicPartition partition = busy.get();
        String text = partition == null ? "" : partition.topic() + "\n" + partition.partition();
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The busy partition a member's user data names, or null. */
    static TopicPartition busyOf(ByteBuffer userData) {
        if (userData == null || !userData.hasRemaining()) {
            return null;
        }
        byte[] bytes = new byte[userData.remaining()];
        userData.duplicate().get(bytes);
        String[] parts = new String(bytes, StandardCharsets.UTF_8).split("\n");
        try {
            return parts.length == 2 ? new TopicPartition(parts[0], Integer.parseInt(parts[1])) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
        Map<String, Subscription> members = new TreeMap<>(groupSubscription.groupSubscription());
        Map<TopicPartition, String> owners = owners(members);
        Map<String, List<TopicPartition>> assigned = new HashMap<>();
        members.keySet().forEach(member -> assigned.put(member, new ArrayList<>()));
        Set<String> topics = new java.util.TreeSet<>();
        members.values().forEach(subscription -> topics.addAll(subscription.topics()));
        for (String topic : topics) {
            Integer count = metadata.partitionCountForTopic(topic);
            if (count != null) {
                assignTopic(topic, count, members, owners, assigned);
            }
        }
        Map<String, Assignment> result = new HashMap<>();
        assigned.forEach((member, partitions) -> result.put(member, new Assignment(partitions)));
        return new GroupAssignment(result);
    }

    /**
     * Who owns each partition now: the member whose subscription lists it. Should two list the
     * same one (a member still in an older generation), the one running its job keeps it.
     */
    private static Map<TopicPartition, String> owners(Map<String, Subscription> members) {
        Map<TopicPartition, String> owners = new HashMap<>();
        Set<TopicPartition> disputed = new HashSet<>();
        members.forEach((member, subscription) -> {
            for (TopicPartition partition : subscription.ownedPartitions()) {
                if (owners.putIfAbsent(partition, member) != null) {
                    disputed.add(partition);
                }
            }
        });
        for (TopicPartition partition : disputed) {
            owners.remove(partition);
            members.forEach((member, subscription) -> {
                if (partition.equals(busyOf(subscription.userData()))) {
                    owners.put(partition, member);
                }
            });
        }
        return owners;
    }

    /** Assigns one topic's partitions over the members subscribed to it. */
    private static void assignTopic(String topic, int count, Map<String, Subscription> members,
                                    Map<TopicPartition, String> owners, Map<String, List<TopicPartition>> assigned) {
        List<String> eligible = members.entrySet().stream().filter(e -> e.getValue().topics().contains(topic))
                .map(Map.Entry::getKey).toList();
        if (eligible.isEmpty()) {
            return;
        }
        Map<String, List<TopicPartition>> held = new TreeMap<>();
        eligible.forEach(member -> held.put(member, new ArrayList<>()));
        Set<TopicPartition> pinned = new HashSet<>();
        List<TopicPartition> free = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            var partition = new TopicPartition(topic, p);
            String owner = owners.get(partition);
            if (owner != null && held.containsKey(owner)) {
                held.get(owner).add(partition);
                if (partition.equals(busyOf(members.get(owner).userData()))) {
                    pinned.add(partition);
                }
            } else {
                free.add(partition);
            }
        }
        int most = (count + eligible.size() - 1) / eligible.size();
        int least = count / eligible.size();
        // Owners above their share give up idle partitions. A partition given up is revoked this
        // round and assigned to no one: the cooperative protocol moves it in the next round.
        for (List<TopicPartition> partitions : held.values()) {
            while (partitions.size() > most && revokeIdle(partitions, pinned)) {
                // one idle partition revoked
            }
        }
        // Free partitions go to the members holding fewest (ties: member id order).
        Comparator<String> fewest = Comparator.comparingInt((String member) -> held.get(member).size())
                .thenComparing(Comparator.naturalOrder());
        for (TopicPartition partition : free) {
            held.get(held.keySet().stream().min(fewest).orElseThrow()).add(partition);
        }
        // Members still below their share (a joiner) are promised idle partitions of members above it.
        Map<String, Integer> promised = new HashMap<>();
        for (String member : held.keySet()) {
            while (held.get(member).size() + promised.getOrDefault(member, 0) < least) {
                String donor = held.keySet().stream()
                        .filter(d -> !d.equals(member) && held.get(d).size() > least)
                        .filter(d -> held.get(d).stream().anyMatch(p -> !pinned.contains(p)))
                        .max(Comparator.comparingInt((String d) -> held.get(d).size())).orElse(null);
                if (donor == null || !revokeIdle(held.get(donor), pinned)) {
                    break;
                }
                promised.merge(member, 1, Integer::sum);
            }
        }
        held.forEach((member, partitions) -> assigned.get(member).addAll(partitions));
    }

    /** Removes the highest-numbered partition that is not running a job; false when all are. */
    private static boolean revokeIdle(List<TopicPartition> partitions, Set<TopicPartition> pinned) {
        for (int i = partitions.size() - 1; i >= 0; i--) {
            if (!pinned.contains(partitions.get(i))) {
                partitions.remove(i);
                return true;
            }
        }
        return false;
    }
}
