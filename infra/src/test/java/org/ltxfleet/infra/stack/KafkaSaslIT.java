package org.ltxfleet.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.config.FleetConfig;
import org.ltxfleet.common.kafka.KafkaConnection;
import org.ltxfleet.gateway.Gateway;
import org.ltxfleet.gateway.GatewaySettings;
import org.ltxfleet.gateway.auth.ApiKeys;
import org.ltxfleet.gateway.health.KafkaHealth;
import org.ltxfleet.infra.client.FleetClient;
import org.ltxfleet.preprocess.PreprocessWorker;

/**
 * A cluster that requires SASL, as most managed ones do: the gateway and a worker reach it with
 * nothing but {@code kafka.*} settings. Every kind of client is exercised: the gateway's producer
 * (a 200 is an acks=all write), its projection consumer (the status read back), its admin client
 * (readiness), and the worker's group consumer (a static member, as {@code worker.static.membership}
 * asks) and event producer (the job's end).
 */
class KafkaSaslIT {

    private static final String KEY = "sasl-key:sasl-secret";

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    @Test
    void theFleetAuthenticatesThroughItsKafkaSettingsAlone(@TempDir Path dir) throws Exception {
        // The listener named PLAINTEXT speaks SASL_PLAINTEXT: clients without credentials are refused.
        var broker = Map.of("listener.security.protocol.map", "PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
                "sasl.enabled.mechanisms", "PLAIN",
                "sasl.mechanism.inter.broker.protocol", "PLAIN",
                "listener.name.plaintext.plain.sasl.jaas.config", "org.apache.kafka.common.security.plain."
                        + "PlainLoginModule required username=\"admin\" password=\"admin-secret\" "
                        + "user_admin=\"admin-secret\" user_fleet=\"fleet-secret\";");
        var admin = Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", jaas("admin", "admin-secret"));
        try (var kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, broker, admin);
             var s3 = EmbeddedS3.start(dir.resolve("s3"), 0, "sasl-ak", "sasl-sk")) {
            kafka.createFleetTopics();
            try (var anonymous = new KafkaHealth(KafkaConnection.of(kafka.bootstrapServers()))) {
                assertThat(anonymous.checkNow()).as("a client without credentials gets nowhere").isFalse();
            }
            new ApiKeys().add(KEY).save(dir.resolve("api-keys.json"));
            FleetConfig config = FleetConfig.empty()
                    .with("kafka.bootstrap.servers", kafka.bootstrapServers())
                    .with("kafka.security.protocol", "SASL_PLAINTEXT")
                    .with("kafka.sasl.mechanism", "PLAIN")
                    .with("kafka.sasl.jaas.config", jaas("fleet", "fleet-secret"))
                    .with("s3.endpoint", s3.endpoint().toString()).with("s3.access.key", "sasl-ak")
                    .with("s3.secret.key", "sasl-sk").with("s3.path.style", "true")
                    .with("gateway.port", "0").with("gateway.metrics.port", "0").with("gateway.keys.file", dir.resolve("api-keys.json").toString())
                    .with("webhook.keys.file", dir.resolve("webhook-keys.json").toString())
                    .with("allow.private.urls", "true").with("download.attempts", "1")
                    .with("model.dir", dir.resolve("models").toString()).with("worker.name", "sasl-worker")
                    .with("worker.static.membership", "true");
            try (Gateway gateway = Gateway.start(config);
                 var worker = PreprocessWorker.start(config)) {
                var client = new FleetClient(URI.create("http://127.0.0.1:" + gateway.port()), KEY,
                        GatewaySettings.ENDPOINT_ID);
                var ready = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.port() + "/health/ready")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
                var submitted = client.submit("{\"training_data_url\":\"http://127.0.0.1:1/nothing-here.zip\"}");
                assertThat(submitted.status()).as(submitted.rawBody()).isEqualTo(200);
                String id = submitted.body().get("request_id").asText();
                var ended = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> client.status(id, true), r -> r.body().path("state").asText().equals("FAILED"));
                assertThat(ended.body().path("logs").toString()).as("the worker's own log lines came back")
                        .contains("training_data_url");
                try (var groups = org.apache.kafka.clients.admin.Admin.create(kafka.connection().admin("it"))) {
                    var group = groups.describeConsumerGroups(java.util.List.of(PreprocessWorker.GROUP)).all().get()
                            .get(PreprocessWorker.GROUP);
                    assertThat(group.members()).as("a static member under the worker's name")
                            .anyMatch(m -> m.groupInstanceId().equals(java.util.Optional.of("sasl-worker")));
                }
            }
        }
    }
}
