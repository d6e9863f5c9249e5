package org.ltxfleet.gateway.projection;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.kafka.KafkaConnection;

class ProjectionConsumerSettingsTest {

    @Test
    void theBrokerFillsAFetchBeforeAnsweringIt() {
        var props = ProjectionConsumer.consumerSettings(KafkaConnection.of("localhost:9092"));
        // Kafka's defaults (1 byte) answered a fetch per record or two at a busy gateway.
        assertThat(props.get(ConsumerConfig.FETCH_MIN_BYTES_CONFIG)).isEqualTo("65536");
        assertThat(props.get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)).isEqualTo("20");
        assertThat(props.get(ConsumerConfig.GROUP_ID_CONFIG)).as("no group: every gateway reads everything").isNull();
    }

    @Test
    void anOperatorsConsumerSettingsWin() {
        var kafka = KafkaConnection.from(FleetConfig.empty()
                .with("kafka.bootstrap.servers", "localhost:9092")
                .with("kafka.consumer.fetch.max.wait.ms", "5")
                .with("kafka.consumer.fetch.min.bytes", "1"));
        var props = ProjectionConsumer.consumerSettings(kafka);
        assertThat(props.get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)).isEqualTo("5");
        assertThat(props.get(ConsumerConfig.FETCH_MIN_BYTES_CONFIG)).isEqualTo("1");
    }
}
