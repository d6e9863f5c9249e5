package org.ltxfleet.gateway.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QueueSlotsTest {

    private final ConcurrentHashMap<String, Integer> queued = new ConcurrentHashMap<>();
    private final QueueSlots slots = new QueueSlots(3, key -> queued.getOrDefault(key, 0));

    @Test
    void concurrentReservationsNeverPassTheCap() throws Exception {
        var granted = new AtomicInteger();
        var go = new CountDownLatch(1);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                threads.submit(() -> {
                    go.await();
                    if (slots.tryReserve("k")) {
                        granted.incrementAndGet();
                    }
                    return null;
                });
            }
            go.countDown();
        }
        assertThat(granted).hasValue(3);
        assertThat(slots.tryReserve("other")).as("another key's cap is its own").isTrue();
    }

    @Test
    void aReleasedSlotIsFreeAgainAndAQueuedJobHoldsItsOwn() {
        queued.put("k", 2);
        assertThat(slots.tryReserve("k")).isTrue();
        assertThat(slots.tryReserve("k")).isFalse();
        slots.release("k"); // not stored
        assertThat(slots.tryReserve("k")).isTrue();
        queued.put("k", 3); // stored and counted as queued, then released
        slots.release("k");
        assertThat(slots.tryReserve("k")).isFalse();
    }

    @Test
    void withoutACapEverySubmitHasASlot() {
        var uncapped = new QueueSlots(0, key -> 1_000_000);
        assertThat(uncapped.tryReserve("k")).isTrue();
        uncapped.release("k");
    }
}
