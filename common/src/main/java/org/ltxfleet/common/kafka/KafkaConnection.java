package org.ltxfleet.common.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.config.Settings;

/**
 * How every Kafka client of a process reaches the cluster: the bootstrap servers plus any client
 * property the operator passes through, so TLS, SASL (MSK IAM, Confluent Cloud, Strimzi SCRAM),
 * client ids and timeouts need no code. From the settings: {@code kafka.<property>} applies to
 * every client, {@code kafka.producer.<property>}, {@code kafka.consumer.<property>} and
 * {@code kafka.admin.<property>} to one kind (and win over the shared ones). The fleet's own
 * guarantees are not negotiable: the properties that make writes durable and exactly-once and
 * reads committed-only ({@link #FIXED}) are refused, as is any name the client kind does not know.
 * Immutable.
 */
public final class KafkaConnection {

    /**
     * What the fleet sets itself and an operator may not change: durability, transactions,
     * serialisation, and how work groups share partitions ({@link BusyPartitionAssignor}).
     */
    static final Set<String> FIXED = Set.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ProducerConfig.ACKS_CONFIG,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
            ConsumerConfig.GROUP_PROTOCOL_CONFIG);

    private enum Kind {
        PRODUCER("producer", ProducerConfig.configNames()),
        CONSUMER("consumer", ConsumerConfig.configNames()),
        ADMIN("admin", AdminClientConfig.configNames());

        final String prefix;
        final Set<String> names;

        Kind(String name, Set<String> names) {
            this.prefix = "kafka." + name + ".";
            this.names = names;
        }
    }

    private final String bootstrapServers;
    private final Map<Kind, Map<String, String>> overrides;
    /** A static group member's id (KIP-345), for the consumers that join a group; null: dynamic. */
    private final String groupInstanceId;

    private KafkaConnection(String bootstrapServers, Map<Kind, Map<String, String>> overrides,
                            String groupInstanceId) {
        this.bootstrapServers = bootstrapServers;
        this.overrides = overrides;
        this.groupInstanceId = groupInstanceId;
    }

    /**
     * A copy whose group consumers are static members named {@code instanceId}: a member that
     * restarts under the same name within the session timeout gets its partitions back without a
     * rebalance (stable names: a StatefulSet's pods). Consumers outside a group are unaffected.
     */
    public KafkaConnection asStaticMember(String instanceId) {
        return new KafkaConnection(bootstrapServers, overrides, instanceId);
    }

    /** A plain connection: the bootstrap servers and nothing else (the embedded broker, tests). */
    public static KafkaConnection of(String bootstrapServers) {
        var none = new HashMap<Kind, Map<String, String>>();
        for (Kind kind : Kind.values()) {
            none.put(kind, Map.of());
        }
        return new KafkaConnection(bootstrapServers, Map.copyOf(none), null);
    }

    /**
     * The connection the settings describe; an unknown or fixed {@code kafka.*} key is refused
     * with an {@link IllegalArgumentException} naming it.
     */
    public static KafkaConnection from(FleetConfig config) {
        Map<String, String> given = new TreeMap<>(config.withPrefix("kafka."));
        given.remove(Settings.KAFKA_BOOTSTRAP.key());
        given.remove(Settings.KAFKA_SASL_USERNAME.key());
        given.remove(Settings.KAFKA_SASL_PASSWORD.key());
        SaslLogin.from(config, given).ifPresent(login -> given.put("kafka.sasl.jaas.config", login));
        var shared = new TreeMap<String, String>();
        var byKind = new HashMap<Kind, Map<String, String>>();
        for (Kind kind : Kind.values()) {
            byKind.put(kind, new TreeMap<>());
        }
        given.forEach((key, value) -> {
            Kind own = null;
            for (Kind kind : Kind.values()) {
                if (key.startsWith(kind.prefix)) {
                    own = kind;
                }
            }
            String property = key.substring(own == null ? "kafka.".length() : own.prefix.length());
            if (FIXED.contains(property)) {
                throw new IllegalArgumentException(key + ": the fleet sets " + property + " itself (durable, "
                        + "exactly-once writes and committed reads depend on it)");
            }
            boolean known = own == null
                    ? Kind.PRODUCER.names.contains(property) || Kind.CONSUMER.names.contains(property)
                            || Kind.ADMIN.names.contains(property)
                    : own.names.contains(property);
            if (!known) {
                throw new IllegalArgumentException(key + " is not a Kafka " + (own == null ? "client" : own.name()
                        .toLowerCase(java.util.Locale.ROOT)) + " property");
            }
            (own == null ? shared : byKind.get(own)).put(property, value);
        });
        var merged = new HashMap<Kind, Map<String, String>>();
        for (Kind kind : Kind.values()) {
            var properties = new TreeMap<String, String>();
            // A shared property goes only to the kinds that know it (sasl.* to all, linger.ms to producers).
            shared.forEach((property, value) -> {
                if (kind.names.contains(property)) {
                    properties.put(property, value);
                }
            });
            properties.putAll(byKind.get(kind));
            merged.put(kind, Map.copyOf(properties));
        }
        return new KafkaConnection(Settings.KAFKA_BOOTSTRAP.read(config), Map.copyOf(merged), null);
    }

    /** The bootstrap servers, for messages and the processes a stack starts. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** A durable producer's properties ({@link KafkaSettings#producer}) with the operator's additions. */
    public Properties producer(String clientId) {
        return with(KafkaSettings.producer(bootstrapServers, clientId), Kind.PRODUCER);
    }

    /** A transactional producer's properties ({@link KafkaSettings#transactionalProducer}) with the additions. */
    public Properties transactionalProducer(String clientId, String instance) {
        return with(KafkaSettings.transactionalProducer(bootstrapServers, clientId, instance), Kind.PRODUCER);
    }

    /** A consumer's properties ({@link KafkaSettings#consumer}) with the operator's additions. */
    public Properties consumer(String groupId, String clientId) {
        Properties props = with(KafkaSettings.consumer(bootstrapServers, groupId, clientId), Kind.CONSUMER);
        if (groupId != null && groupInstanceId != null) {
            props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupInstanceId);
        }
        return props;
    }

    /** An admin client's properties with the operator's additions. */
    public Properties admin(String clientId) {
        var p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return with(p, Kind.ADMIN);
    }

    private Properties with(Properties base, Kind kind) {
        base.putAll(overrides.get(kind));
        return base;
    }

    @Override
    public String toString() {
        return bootstrapServers;
    }
}
