package org.ltxfleet.infra.api;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.ltxfleet.common.event.EventType;
import org.ltxfleet.common.event.Payloads;
import org.ltxfleet.common.job.FileRef;
import org.ltxfleet.common.job.TrainingOutput;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.kafka.CancellationWatcher;
import org.ltxfleet.common.kafka.EventWriter;
import org.ltxfleet.common.kafka.JobMessage;
import org.ltxfleet.common.kafka.StageConsumer;
import org.ltxfleet.common.kafka.StageWorker;
import org.ltxfleet.common.kafka.Topics;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.common.s3.S3Settings;
import org.ltxfleet.infra.stack.FleetStack;
import org.ltxfleet.preprocess.download.DownloadSettings;
import org.ltxfleet.preprocess.download.Downloader;
import org.ltxfleet.preprocess.download.OwnUploads;

/**
 * A test double of the pipeline that drives the API's whole lifecycle through the real broker:
 * it takes jobs from ltx.jobs and writes the events a real pipeline would. The trigger phrase
 * picks the script: "slow" runs until canceled; "fail" fails with a 422; "fetch" reads the
 * training data as the preprocess worker would and logs its size and hash; anything else logs,
 * reports progress and completes with a placeholder LoRA in the store.
 */
final class ScriptedWorker {

    static final String LOG_LINE = "scripted worker took the job";

    private ScriptedWorker() {
    }

    /** Starts the scripted pipeline on the stack's broker and store; close it to stop. */
    static StageWorker start(FleetStack stack) {
        // Shared by the handlers; a test double's store lives as long as the test JVM.
        ObjectStore store = ObjectStore.open(S3Settings.from(stack.config()));
        Downloader downloader = new Downloader(DownloadSettings.from(stack.config()));
        return StageWorker.start(org.ltxfleet.common.kafka.KafkaConnection.of(stack.kafkaBootstrap()), "scripted", Topics.jobTopics(), "scripted-worker", "test",
                new org.ltxfleet.common.kafka.StageConsumer.Options(3, java.time.Duration.ofMinutes(5),
                        java.time.Duration.ofSeconds(1)), (events, cancellations) -> new Script(events, cancellations, store, downloader));
    }

    /** What the scripted LoRA of a job holds. */
    static byte[] loraBytes(String requestId) {
        return ("scripted lora of " + requestId).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** What the "fetch" script logs of the training data it read. */
    static String fetchedLine(long bytes, String sha256) {
        return "fetched training_data_url: " + bytes + " bytes, sha256 " + sha256;
    }

    private record Script(EventWriter events, CancellationWatcher cancellations, ObjectStore store,
                          Downloader downloader) implements StageConsumer.Handler {
        @Override
        public void handle(ConsumerRecord<String, byte[]> record) throws Exception {
            JobMessage job = Json.fromBytes(record.value(), JobMessage.class);
            String id = job.requestId();
            if (cancellations.isCanceled(id)) {
                return;
            }
            if (job.startDeadlinePassed(java.time.Instant.now())) {
                events.emit(id, job.keyId(), EventType.FAILED, Payloads.Failed.startTimeout(Payloads.STAGE_QUEUE));
                return;
            }
            events.emit(id, job.keyId(), EventType.STARTED, new Payloads.Started("train", "scripted"));
            events.emit(id, job.keyId(), EventType.LOG, new Payloads.Log("INFO", LOG_LINE, "train"));
            String script = job.input().path("trigger_phrase").asText();
            if ("slow".equals(script)) {
                waitForCancel(id, job.keyId());
                return;
            }
            if ("fetch".equals(script)) {
                // As the preprocess worker reads it: the owner's uploads from the store, the rest over HTTP.
                java.nio.file.Path target = java.nio.file.Files.createTempFile("scripted-fetch", ".zip");
                try {
                    var file = OwnUploads.forOwner(job.keyId(), store, downloader).download(
                            job.input().path("training_data_url").asText(), target, "training_data_url");
                    events.emit(id, job.keyId(), EventType.LOG, new Payloads.Log("INFO",
                            fetchedLine(file.bytes(), file.sha256()), "train"));
                } finally {
                    java.nio.file.Files.deleteIfExists(target);
                }
            }
            if ("fail".equals(script)) {
                events.emit(id, job.keyId(), EventType.FAILED, new Payloads.Failed(422, "no_usable_data",
                        Json.toTree("no usable training data"), "preprocess"));
                return;
            }
            events.emit(id, job.keyId(), EventType.PROGRESS,
                    new Payloads.Progress("train", 50, 100, 0.25, 2e-4, 0.1, 5.0));
            Thread.sleep(200);
            events.emit(id, job.keyId(), EventType.LOG, new Payloads.Log("INFO", "step 100/100", "train"));
            // As the train worker names outputs: by their location in the store, signed by the gateway.
            String key = "jobs/" + id + "/outputs/lora.safetensors";
            byte[] bytes = loraBytes(id);
            store.put(key, bytes, "application/octet-stream");
            var lora = new FileRef(store.location(key).toString(), "application/octet-stream", "lora.safetensors",
                    bytes.length);
            events.emit(id, job.keyId(), EventType.COMPLETED,
                    new Payloads.Completed(new TrainingOutput(lora, null, null, null), 1.5));
        }

        private void waitForCancel(String id, String keyId) throws InterruptedException {
            for (int i = 0; i < 300 && !cancellations.isCanceled(id); i++) {
                Thread.sleep(100);
            }
            events.emit(id, keyId, EventType.CANCELED, new Payloads.Canceled("train"));
        }

        @Override
        public void giveUp(ConsumerRecord<String, byte[]> record, Exception lastError) {
            JobMessage job = Json.fromBytes(record.value(), JobMessage.class);
            events.emit(job.requestId(), job.keyId(), EventType.FAILED, new Payloads.Failed(500, "internal_error",
                    Json.toTree("scripted worker failed: " + lastError.getMessage()), "train"));
        }
    }
}
