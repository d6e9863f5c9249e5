package org.ltxfleet.gateway.health;

import org.ltxfleet.common.kafka.KafkaConnection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether the Kafka cluster answers, checked by a real round trip (the producer's cached metadata
 * would say yes long after the cluster died). At most one check runs at a time; callers get the
 * last known answer immediately.
 */
public final class KafkaHealth implements AutoCloseable {

    private final Admin admin;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile boolean up;
    private volatile long checkedAt;

    /** A checker for the given cluster. */
    public KafkaHealth(KafkaConnection kafka) {
        var props = kafka.admin("api-gateway-health");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
        this.admin = Admin.create(props);
    }

    /** The last known answer; starts a fresh check in the background when it is over a second old. */
    public boolean up() {
        if (System.currentTimeMillis() - checkedAt > 1000 && checking.compareAndSet(false, true)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes()
                    .whenComplete((nodes, error) -> {
                        up = error == null && !nodes.isEmpty();
                        checkedAt = System.currentTimeMillis();
                        checking.set(false);
                    });
        }
        return up;
    }

    /** Checks now and waits for the answer, for start-up. */
    public boolean checkNow() {
        try {
            up = !admin.describeCluster(new DescribeClusterOptions().timeoutMs(5000)).nodes()
                    .get(6, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            up = false;
        }
        checkedAt = System.currentTimeMillis();
        return up;
    }

    @Override
    public void close() {
        admin.close();
    }
}
