package org.ltxfleet.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConsumerLoopTest {

    private static final AtomicInteger CONSUMERS_MADE = new AtomicInteger();

    /** Lets the first consumer be made and no other, as a config or secret gone bad after start would. */
    public static final class OnlyOnce implements ConsumerInterceptor<String, byte[]> {
        public OnlyOnce() {
            if (CONSUMERS_MADE.incrementAndGet() > 1) {
                throw new IllegalStateException("the consumer cannot be made again");
            }
        }

        @Override
        public ConsumerRecords<String, byte[]> onConsume(ConsumerRecords<String, byte[]> records) {
            return records;
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }

    @AfterEach
    void quietFatalHandler() {
        ConsumerLoop.onFatal(e -> { });
    }

    @Test
    void aLoopWhoseConsumerCannotBeRebuiltFailsForGoodAndCallsTheFatalHandler() throws InterruptedException {
        var fatal = new AtomicReference<Throwable>();
        ConsumerLoop.onFatal(fatal::set);
        var settings = KafkaSettings.consumer("localhost:1", "g", "rebuild");
        settings.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, OnlyOnce.class.getName());
        try (var loop = new ConsumerLoop(settings, "rebuild-poll") {
            {
                start();
            }

            @Override
            protected void loop() {
                throw new IllegalStateException("a transient failure");
            }
        }) {
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (loop.health().state() != LoopHealth.State.FAILED && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertThat(loop.health().state()).isEqualTo(LoopHealth.State.FAILED);
            assertThat(fatal.get()).isNotNull();
        }
    }
}
