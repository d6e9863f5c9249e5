package org.ltxfleet.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UploadSlotsTest {

    @Test
    void oneBodyPerSlotAndTheKeysScratchBudgetHold() {
        Vertx vertx = Vertx.vertx();
        try {
            UploadSlots slots = UploadSlots.of(vertx, 100);
            assertThat(UploadSlots.of(vertx, 5)).as("one per Vert.x instance").isSameAs(slots);
            var first = slots.claim("u#1", "key-a", 60);
            assertThat(first.refusal()).isNull();
            assertThat(slots.claim("u#1", "key-a", 1).refusal()).isEqualTo(UploadSlots.Refusal.BUSY);
            assertThat(slots.claim("u#2", "key-a", 41).refusal()).isEqualTo(UploadSlots.Refusal.FULL);
            assertThat(slots.claim("v#1", "key-b", 100).refusal()).as("another key's budget").isNull();
            slots.release(first.claim());
            slots.release(first.claim()); // a second release gives nothing back twice
            var again = slots.claim("u#1", "key-a", 100);
            assertThat(again.refusal()).isNull();
            assertThat(slots.claim("u#2", "key-a", 1).refusal()).isEqualTo(UploadSlots.Refusal.FULL);
        } finally {
            vertx.close();
        }
    }

    @Test
    void racingClaimsFromManyThreadsGetOneSlotAndNeverOverdrawTheBudget() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            UploadSlots slots = UploadSlots.of(vertx, 1000);
            int threads = 16;
            var start = new CountDownLatch(1);
            var won = new AtomicInteger();
            var claims = new ConcurrentLinkedQueue<UploadSlots.Claim>();
            var workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int me = t;
                workers[t] = Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (slots.claim("same", "key-a", 10).refusal() == null) {
                        won.incrementAndGet();
                    }
                    for (int i = 0; i < 50; i++) {
                        var outcome = slots.claim("part-" + me + "-" + i, "key-b", 10);
                        if (outcome.refusal() == null) {
                            claims.add(outcome.claim());
                        }
                    }
                });
            }
            start.countDown();
            for (Thread worker : workers) {
                worker.join();
            }
            assertThat(won.get()).isEqualTo(1);
            assertThat(claims).hasSize(100); // 1000 bytes of 10-byte claims, out of 800 tries
            claims.forEach(slots::release);
            assertThat(slots.claim("later", "key-b", 1000).refusal()).as("all given back").isNull();
        } finally {
            vertx.close();
        }
    }
}
