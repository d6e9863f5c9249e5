package org.ltxfleet.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class BusyPartitionAssignorTest {

    private static final String JOBS = "ltx.jobs";
    private static final String LOW = "ltx.jobs.low";

    private static Cluster cluster(Map<String, Integer> topics) {
        var node = new Node(0, "localhost", 9092);
        var partitions = new ArrayList<PartitionInfo>();
        topics.forEach((topic, count) -> {
            for (int p = 0; p < count; p++) {
                partitions.add(new PartitionInfo(topic, p, node, new Node[] {node}, new Node[] {node}));
            }
        });
        return new Cluster("c", List.of(node), partitions, Set.of(), Set.of());
    }

    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }

    private static Subscription member(List<String> topics, TopicPartition busy, TopicPartition... owned) {
        var assignor = new BusyPartitionAssignor();
        assignor.configure(Map.of(BusyPartitionAssignor.BUSY, (Supplier<TopicPartition>) () -> busy));
        ByteBuffer data = assignor.subscriptionUserData(Set.copyOf(topics));
        return new Subscription(topics, data, List.of(owned));
    }

    private static Map<String, List<TopicPartition>> assign(Cluster cluster, Map<String, Subscription> members) {
        var result = new HashMap<String, List<TopicPartition>>();
        new BusyPartitionAssignor().assign(cluster, new GroupSubscription(members)).groupAssignment()
                .forEach((member, assignment) -> result.put(member, assignment.partitions()));
        return result;
    }

    @Test
    void aJoinerNeverTakesTheBusyPartitionAndGetsItsShareOverTwoRounds() {
        var cluster = cluster(Map.of(JOBS, 6));
        // "a" sorts first: Range would hand it partition 0, the one whose job "m" runs.
        var first = assign(cluster, Map.of(
                "m", member(List.of(JOBS), tp(JOBS, 0), tp(JOBS, 0), tp(JOBS, 1), tp(JOBS, 2), tp(JOBS, 3), tp(JOBS, 4),
                        tp(JOBS, 5)),
                "a", member(List.of(JOBS), null)));
        assertThat(first.get("m")).contains(tp(JOBS, 0)).hasSize(3);
        assertThat(first.get("a")).as("moving partitions are revoked before they are given").isEmpty();

        var second = assign(cluster, Map.of(
                "m", member(List.of(JOBS), tp(JOBS, 0), first.get("m").toArray(TopicPartition[]::new)),
                "a", member(List.of(JOBS), null)));
        assertThat(second.get("m")).containsExactlyInAnyOrderElementsOf(first.get("m"));
        assertThat(second.get("a")).hasSize(3).doesNotContain(tp(JOBS, 0));
    }

    @Test
    void aLeaversPartitionsGoToTheMembersLeftAndOwnersKeepTheirs() {
        var cluster = cluster(Map.of(JOBS, 6));
        var result = assign(cluster, Map.of(
                "a", member(List.of(JOBS), null, tp(JOBS, 0), tp(JOBS, 1)),
                "b", member(List.of(JOBS), tp(JOBS, 3), tp(JOBS, 2), tp(JOBS, 3))));
        assertThat(result.get("a")).contains(tp(JOBS, 0), tp(JOBS, 1)).hasSize(3);
        assertThat(result.get("b")).contains(tp(JOBS, 2), tp(JOBS, 3)).hasSize(3);
    }

    @Test
    void aMemberRunningAJobKeepsItsPartitionEvenAboveItsShare() {
        var cluster = cluster(Map.of(JOBS, 1));
        var result = assign(cluster, Map.of(
                "z", member(List.of(JOBS), tp(JOBS, 0), tp(JOBS, 0)),
                "a", member(List.of(JOBS), null),
                "b", member(List.of(JOBS), null)));
        assertThat(result.get("z")).containsExactly(tp(JOBS, 0));
        assertThat(result.get("a")).isEmpty();
        assertThat(result.get("b")).isEmpty();
    }

    @Test
    void twoMembersListingOnePartitionLeaveItWithTheOneRunningItsJob() {
        var cluster = cluster(Map.of(JOBS, 2));
        var result = assign(cluster, Map.of(
                "a", member(List.of(JOBS), null, tp(JOBS, 0)),
                "b", member(List.of(JOBS), tp(JOBS, 0), tp(JOBS, 0))));
        assertThat(result.get("b")).contains(tp(JOBS, 0));
        assertThat(result.get("a")).doesNotContain(tp(JOBS, 0));
    }

    @Test
    void everyPriorityTopicIsSpreadOverTheMembersOnItsOwn() {
        var cluster = cluster(Map.of(JOBS, 4, LOW, 4));
        var result = assign(cluster, Map.of(
                "a", member(List.of(JOBS, LOW), null),
                "b", member(List.of(JOBS, LOW), null)));
        for (String member : List.of("a", "b")) {
            assertThat(result.get(member).stream().filter(p -> p.topic().equals(JOBS))).hasSize(2);
            assertThat(result.get(member).stream().filter(p -> p.topic().equals(LOW))).hasSize(2);
        }
    }

    @Test
    void noPartitionIsEverGivenToTwoMembers() {
        var cluster = cluster(Map.of(JOBS, 5));
        var result = assign(cluster, Map.of(
                "a", member(List.of(JOBS), tp(JOBS, 4), tp(JOBS, 0), tp(JOBS, 4)),
                "b", member(List.of(JOBS), null, tp(JOBS, 1), tp(JOBS, 2), tp(JOBS, 3)),
                "c", member(List.of(JOBS), null)));
        var all = result.values().stream().flatMap(List::stream).toList();
        assertThat(all).doesNotHaveDuplicates();
        assertThat(result.get("a")).contains(tp(JOBS, 4));
    }
}
