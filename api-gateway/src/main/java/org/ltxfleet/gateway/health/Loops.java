package org.ltxfleet.gateway.health;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.ltxfleet.common.health.HealthServer;
import org.ltxfleet.common.kafka.LoopHealth;

/** The gateway's Kafka loops, for its liveness and readiness. Thread-safe. */
public final class Loops {

    private final List<Supplier<LoopHealth>> loops = new CopyOnWriteArrayList<>();

    /** Adds a loop's health. */
    public void add(Supplier<LoopHealth> loop) {
        loops.add(loop);
    }

    /** Every loop's health now. */
    public List<LoopHealth> all() {
        return loops.stream().map(Supplier::get).toList();
    }

    /** {@code {name: state}}, with the last error of a loop that is not up. */
    public ObjectNode describe() {
        return HealthServer.describe(all());
    }
}
