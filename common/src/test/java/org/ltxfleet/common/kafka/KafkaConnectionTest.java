package org.ltxfleet.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.config.FleetConfig;

/** Operators pass any Kafka client property through; the fleet's guarantees stay theirs. */
class KafkaConnectionTest {

    @TempDir
    Path dir;

    private FleetConfig config(String properties, Map<String, String> env) throws Exception {
        Path file = dir.resolve("fleet.properties");
        Files.writeString(file, properties);
        return FleetConfig.load(file, env);
    }

    @Test
    void sharedAndPerKindPropertiesReachTheClientsThatKnowThem() throws Exception {
        var kafka = KafkaConnection.from(config("""
                kafka.bootstrap.servers=broker-1:9096,broker-2:9096
                kafka.security.protocol=SASL_SSL
                kafka.sasl.mechanism=SCRAM-SHA-512
                kafka.linger.ms=3
                kafka.producer.compression.type=zstd
                kafka.consumer.max.poll.interval.ms=900000
                kafka.admin.request.timeout.ms=20000
                """, Map.of("FLEET_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule "
                + "required username=\"u\" password=\"p\";")));

        var producer = kafka.producer("p");
        var consumer = kafka.consumer("g", "c");
        var admin = kafka.admin("a");
        for (var props : java.util.List.of(producer, consumer, admin)) {
            assertThat(props).containsEntry("bootstrap.servers", "broker-1:9096,broker-2:9096")
                    .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
            assertThat(props.getProperty("sasl.jaas.config")).as("from the environment").contains("username=\"u\"");
        }
        assertThat(producer).containsEntry("linger.ms", "3").containsEntry("compression.type", "zstd")
                .containsEntry("acks", "all").containsEntry("enable.idempotence", "true");
        assertThat(consumer).doesNotContainKey("linger.ms").containsEntry("max.poll.interval.ms", "900000")
                .containsEntry("isolation.level", "read_committed").containsEntry("group.id", "g");
        assertThat(admin).containsEntry("request.timeout.ms", "20000").doesNotContainKey("compression.type");
        assertThat(kafka.transactionalProducer("t", "1")).containsEntry("transactional.id", "t-1")
                .containsEntry("compression.type", "zstd");
    }

    @Test
    void aUserNameAndPasswordMakeTheLoginForPlainAndScramMechanisms() throws Exception {
        // One Secret feeds the services, KEDA's TriggerAuthentication and Strimzi's KafkaUser: it holds
        // the name and password as such, not a JAAS line KEDA cannot read.
        var kafka = KafkaConnection.from(config("""
                kafka.security.protocol=SASL_SSL
                kafka.sasl.mechanism=SCRAM-SHA-512
                """, Map.of("FLEET_KAFKA_SASL_USERNAME", "ltx-fleet", "FLEET_KAFKA_SASL_PASSWORD", "p\"w\\d")));
        for (var props : java.util.List.of(kafka.producer("p"), kafka.consumer("g", "c"), kafka.admin("a"))) {
            assertThat(props.getProperty("sasl.jaas.config")).isEqualTo(
                    "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"ltx-fleet\" "
                            + "password=\"p\\\"w\\\\d\";");
            assertThat(props).doesNotContainKeys("sasl.username", "sasl.password");
        }
        var plain = KafkaConnection.from(config("kafka.sasl.mechanism=PLAIN\nkafka.sasl.username=u\nkafka.sasl.password=p\n",
                Map.of()));
        assertThat(plain.admin("a").getProperty("sasl.jaas.config"))
                .startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\"");
        assertThatThrownBy(() -> KafkaConnection.from(config("kafka.sasl.username=u\nkafka.sasl.password=p\n", Map.of())))
                .hasMessageContaining("kafka.sasl.mechanism");
        assertThatThrownBy(() -> KafkaConnection.from(config("kafka.sasl.mechanism=PLAIN\nkafka.sasl.username=u\n", Map.of())))
                .hasMessageContaining("kafka.sasl.password");
        assertThatThrownBy(() -> KafkaConnection.from(config("""
                kafka.sasl.mechanism=PLAIN
                kafka.sasl.username=u
                kafka.sasl.password=p
                kafka.sasl.jaas.config=x
                """, Map.of()))).hasMessageContaining("kafka.sasl.jaas.config");
    }

    @Test
    void theFleetsGuaranteesAndUnknownNamesAreRefusedByName() throws Exception {
        assertThatThrownBy(() -> KafkaConnection.from(config("kafka.acks=1\n", Map.of())))
                .hasMessageContaining("kafka.acks").hasMessageContaining("sets acks itself");
        assertThatThrownBy(() -> KafkaConnection.from(config("kafka.producer.enable.idempotence=false\n", Map.of())))
                .hasMessageContaining("kafka.producer.enable.idempotence");
        assertThatThrownBy(() -> KafkaConnection.from(config("", Map.of("FLEET_KAFKA_ISOLATION_LEVEL", "read_uncommitted"))))
                .hasMessageContaining("kafka.isolation.level");
        assertThatThrownBy(() -> KafkaConnection.from(config("kafka.sasl.mechanizm=PLAIN\n", Map.of())))
                .hasMessageContaining("kafka.sasl.mechanizm is not a Kafka client property");
        assertThatThrownBy(() -> KafkaConnection.from(config("kafka.consumer.linger.ms=5\n", Map.of())))
                .hasMessageContaining("kafka.consumer.linger.ms is not a Kafka consumer property");
    }

    @Test
    void aPlainConnectionAddsNothing() {
        var kafka = KafkaConnection.of("localhost:1");
        assertThat(kafka.producer("p")).isEqualTo(KafkaSettings.producer("localhost:1", "p"));
        assertThat(kafka.consumer(null, "c")).isEqualTo(KafkaSettings.consumer("localhost:1", null, "c"));
        assertThat(kafka.bootstrapServers()).isEqualTo("localhost:1");
    }

    @Test
    void aStaticMemberNamesItselfOnlyInGroups() {
        var kafka = KafkaConnection.of("localhost:1").asStaticMember("worker-7");
        assertThat(kafka.consumer("ltx-train", "c")).containsEntry("group.instance.id", "worker-7");
        assertThat(kafka.consumer(null, "replayer")).doesNotContainKey("group.instance.id");
        assertThat(KafkaConnection.of("localhost:1").consumer("g", "c")).doesNotContainKey("group.instance.id");
    }
}
