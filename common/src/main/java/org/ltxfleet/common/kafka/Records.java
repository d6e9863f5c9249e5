package org.ltxfleet.common.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.ltxfleet.common.event.JobEvent;
import org.ltxfleet.common.json.Json;

/**
 * Turns contract records into Kafka records and back. Events also carry the CloudEvents Kafka
 * binding's {@code ce_*} headers (binary mode), so CloudEvents tooling can route them without
 * parsing the body; the body stays the {@link JobEvent} JSON.
 */
public final class Records {

    private static final String CE_SOURCE_PREFIX = "/ltx-fleet/";

    private Records() {
    }

    /** The record for a job event on {@link Topics#EVENTS}. */
    public static ProducerRecord<String, byte[]> event(JobEvent event) {
        var headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0"));
        headers.add("ce_id", bytes(event.eventId()));
        headers.add("ce_type", bytes(event.type().wireName()));
        headers.add("ce_source", bytes(CE_SOURCE_PREFIX + event.source()));
        headers.add("ce_time", bytes(event.time().toString()));
        headers.add("ce_subject", bytes(event.requestId()));
        headers.add("content-type", bytes("application/json"));
        return new ProducerRecord<>(Topics.EVENTS, null, event.requestId(), Json.toBytes(event), headers);
    }

    /** The record for a job on the job topic of its priority. */
    public static ProducerRecord<String, byte[]> job(JobMessage job) {
        return job(job, Topics.jobTopic(job.priority()));
    }

    /** The record for a job on one of {@link Topics#jobTopics()} chosen by the caller. */
    public static ProducerRecord<String, byte[]> job(JobMessage job, String topic) {
        return new ProducerRecord<>(topic, job.requestId(), Json.toBytes(job));
    }

    /** The record for a ready dataset on {@link Topics#READY}. */
    public static ProducerRecord<String, byte[]> ready(ReadyMessage ready) {
        return new ProducerRecord<>(Topics.READY, ready.requestId(), Json.toBytes(ready));
    }

    /** The record for a control message on {@link Topics#CONTROL}. */
    public static ProducerRecord<String, byte[]> control(ControlMessage message) {
        return new ProducerRecord<>(Topics.CONTROL, message.requestId(), Json.toBytes(message));
    }

    /** The record for a webhook delivery on {@code topic} (the delivery topic, a retry tier or the dead letters). */
    public static ProducerRecord<String, byte[]> webhook(String topic, WebhookDelivery delivery) {
        return new ProducerRecord<>(topic, delivery.requestId(), Json.toBytes(delivery));
    }

    /** The record for a charge on {@link Topics#BILLING}. */
    public static ProducerRecord<String, byte[]> billing(BillingRecord charge) {
        return new ProducerRecord<>(Topics.BILLING, charge.requestId(), Json.toBytes(charge));
    }

    /** Reads an event; a malformed body raises {@link java.io.UncheckedIOException}. */
    public static JobEvent readEvent(ConsumerRecord<String, byte[]> record) {
        return Json.fromBytes(record.value(), JobEvent.class);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
