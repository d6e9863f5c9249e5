package org.ltxfleet.infra.examples;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.JobMessage;
import org.ltxfleet.common.kafka.KafkaSettings;
import org.ltxfleet.common.kafka.Records;

/**
 * How to submit a training job with your own Kafka producer instead of the HTTP API (see
 * docs/kafka-jobs.md). The job then answers on the HTTP API, for the key id it names, exactly like
 * a submitted one; an invalid input ends FAILED with the same 422 detail the API would give.
 *
 * <pre>java -cp … org.ltxfleet.infra.examples.ProduceJobExample localhost:19092 KEY_ID '{"training_data_url":"…"}'</pre>
 */
public final class ProduceJobExample {

    private ProduceJobExample() {
    }

    /** Writes one job to ltx.jobs and waits for acks=all; returns where it landed. */
    public static RecordMetadata produce(String bootstrapServers, String requestId, String keyId, String inputJson)
            throws Exception {
        var job = new JobMessage(JobMessage.SCHEMA_VERSION, requestId, keyId, "fal-ai/ltx23-trainer-v2/interpolate",
                Instant.now(), null, null, null, null, Json.readTree(inputJson.getBytes()), null, null);
        try (var producer = new KafkaProducer<String, byte[]>(
                KafkaSettings.producer(bootstrapServers, "example-producer"))) {
            // Records.job keys the record by request id, so all of one job's traffic stays ordered.
            return producer.send(Records.job(job)).get(30, TimeUnit.SECONDS);
        }
    }

    /** {@code bootstrap keyId inputJson}: prints the new request id. */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ProduceJobExample <bootstrap-servers> <key-id> '<input json>'");
            System.exit(2);
        }
        String requestId = UUID.randomUUID().toString();
        var metadata = produce(args[0], requestId, args[1], args[2]);
        System.out.println(requestId + " written to " + metadata.topic() + "-" + metadata.partition() + "@"
                + metadata.offset());
    }
}
