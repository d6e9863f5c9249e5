package org.ltxfleet.gateway.status;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The status streams open now, per API key and in all: a key may hold at most
 * {@code gateway.max.streams.per.key} at once (each costs a timer and a projection listener until
 * it ends), and {@code fleet_gateway_open_status_streams} shows the total. Thread-safe.
 */
public final class OpenStreams {

    private final int perKey;
    private final ConcurrentHashMap<String, Integer> byKey = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    public OpenStreams(int perKey, MeterRegistry metrics) {
        this.perKey = perKey;
        Gauge.builder("fleet_gateway_open_status_streams", total, AtomicInteger::get)
                .description("status streams open now").register(metrics);
    }

    /** The cap per key. */
    public int perKey() {
        return perKey;
    }

    /** A slot for one more stream of {@code keyId}; empty when the key holds its cap already. */
    public Optional<Slot> open(String keyId) {
        var granted = new AtomicBoolean();
        byKey.compute(keyId, (key, open) -> {
            int now = open == null ? 0 : open;
            if (now >= perKey) {
                return open;
            }
            granted.set(true);
            return now + 1;
        });
        if (!granted.get()) {
            return Optional.empty();
        }
        total.incrementAndGet();
        return Optional.of(new Slot(keyId));
    }

    /** One open stream's place; closing it more than once counts once. */
    public final class Slot {
        private final String keyId;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Slot(String keyId) {
            this.keyId = keyId;
        }

        public void close() {
            if (closed.compareAndSet(false, true)) {
                byKey.computeIfPresent(keyId, (key, open) -> open <= 1 ? null : open - 1);
                total.decrementAndGet();
            }
        }
    }
}
