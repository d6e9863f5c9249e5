package org.ltxfleet.common.config;

import java.util.List;

/**
 * Every setting of the fleet, declared once: key, type, default, range and meaning. Services read
 * them with {@link Setting#read}; README's configuration table is generated from {@link #ALL}
 * ({@link SettingsTable}), in this order.
 */
public final class Settings {

    private static final int PORT = 65_535;
    private static final long GIB = 1L << 30;

    public static final Setting<String> KAFKA_BOOTSTRAP = Setting.text("kafka.bootstrap.servers", "localhost:9092",
            "the Kafka cluster").defaultShownAs("`localhost:9092` (embedded: its broker)");
    public static final Setting<String> KAFKA_SASL_USERNAME = Setting.text("kafka.sasl.username", null,
            "SASL user for `PLAIN`/`SCRAM-*` (`kafka.sasl.mechanism`): the fleet makes the JAAS login from it and "
            + "`kafka.sasl.password`, so one Secret also serves KEDA and Strimzi").defaultShownAs("none");
    public static final Setting<String> KAFKA_SASL_PASSWORD = Setting.text("kafka.sasl.password", null,
            "that user's password").defaultShownAs("none");

    public static final Setting<Integer> TOPICS_REPLICATION = Setting.integer("topics.replication.factor", 3, 1,
            32767, "replicas of each topic `bin/ltx-topics` creates (`min.insync.replicas` is 2 where this allows)");
    public static final Setting<String> S3_ENDPOINT = Setting.text("s3.endpoint", null,
            "S3-compatible endpoint (MinIO, S3Proxy, …)").defaultShownAs("AWS");
    public static final Setting<String> S3_PUBLIC_ENDPOINT = Setting.text("s3.public.endpoint", null,
            "the endpoint clients reach the store at (`https://files.example.com`) where the services reach it at "
                    + "an internal one (`http://minio:9000`): output links, upload `file_url`s and preview links are "
                    + "presigned for it, since SigV4 signs the host (the store must answer there with the same bucket "
                    + "and path style); give the gateways and the workers the same value")
            .defaultShownAs("`s3.endpoint`");
    public static final Setting<String> S3_REGION = Setting.text("s3.region", "us-east-1", "the bucket's region");
    public static final Setting<String> S3_ACCESS_KEY = Setting.text("s3.access.key", null,
            "static credentials (with `s3.secret.key`)").defaultShownAs("the AWS default chain");
    public static final Setting<String> S3_SECRET_KEY = Setting.text("s3.secret.key", null,
            "static credentials (with `s3.access.key`)").defaultShownAs("the AWS default chain");
    public static final Setting<String> S3_BUCKET = Setting.text("s3.bucket", "ltx-fleet",
            "bucket for datasets, checkpoints, uploads and outputs");
    public static final Setting<Boolean> S3_PATH_STYLE = Setting.flag("s3.path.style", false,
            "path-style addressing").defaultShownAs("true with an endpoint");

    public static final Setting<String> GATEWAY_HOST = Setting.text("gateway.host", "0.0.0.0",
            "address the API listens on");
    public static final Setting<Integer> GATEWAY_PORT = Setting.integer("gateway.port", 8080, 0, PORT,
            "port the API listens on (0: any free port)");
    public static final Setting<Integer> GATEWAY_METRICS_PORT = Setting.integer("gateway.metrics.port", 9091, -1,
            PORT, "port of the gateway's `GET /metrics` for Prometheus (requests, queue, webhooks, the ledger's "
                    + "billing total), apart from the API port so that API clients cannot read it (0: any free port; "
                    + "-1: not served)");
    public static final Setting<String> GATEWAY_PUBLIC_URL = Setting.text("gateway.public.url", null,
            "base of `response_url`/`status_url`/`cancel_url` and upload URLs behind a proxy")
            .defaultShownAs("from the request's Host");
    public static final Setting<String> GATEWAY_TRUSTED_PROXIES = Setting.text("gateway.trusted.proxies", null,
            "comma-separated IPs and CIDR ranges (IPv4 or IPv6: `10.0.0.0/8,fd00::/8`) of the proxies in front of the "
                    + "gateway (a TLS ingress, a load balancer): when a request's TCP peer is one of them, its URLs "
                    + "take their scheme and host from `X-Forwarded-Proto`, `X-Forwarded-Host` and "
                    + "`X-Forwarded-Port` (first values; a malformed one is ignored); from any other peer those "
                    + "headers are ignored, so a client cannot make the gateway hand out links to another host; "
                    + "`gateway.public.url` wins over both").defaultShownAs("none");
    public static final Setting<Long> GATEWAY_BODY_LIMIT = Setting.longValue("gateway.body.limit.bytes", 1 << 20,
            1024, 64L << 20, "larger bodies answer 413");
    public static final Setting<Long> GATEWAY_SUBMIT_TIMEOUT_MS = Setting.longValue("gateway.submit.timeout.ms",
            10_000, 1000, 600_000, "how long a submit waits for Kafka before answering 503");
    public static final Setting<String> GATEWAY_KEYS_FILE = Setting.text("gateway.keys.file", "api-keys.json",
            "hashed API keys (`{\"keys\":[{\"id\",\"secret_sha256\"}]}`)");
    public static final Setting<Integer> GATEWAY_INSTANCES = Setting.integer("gateway.instances", 1, 1, 1024,
            "event loops serving the API").defaultShownAs("CPU count");
    public static final Setting<Integer> GATEWAY_RATE_LIMIT = Setting.integer("gateway.rate.limit.per.second", 100,
            0, 1_000_000, "submits, cancels, redeliveries, uploads and usage calls per second per API key and "
                    + "gateway process (429 past it); 0 disables");
    public static final Setting<Integer> GATEWAY_READ_LIMIT = Setting.integer("gateway.read.limit.per.second", 1000,
            0, 1_000_000, "status, stream, result and webhook-attempt reads per second per API key and gateway "
                    + "process, a budget of its own (fal's Python client polls each job every 0.1 s: 1000 covers 100 "
                    + "jobs watched at once); 0 disables");
    public static final Setting<Integer> GATEWAY_FAIR_SHARE = Setting.integer("gateway.fair.share.per.key", 10, 0,
            1_000_000, "waiting jobs one API key may have in the normal lane; later ones wait on "
                    + "`ltx.jobs.overflow`, behind every other key's normal jobs, until the key's overflow drains; "
                    + "0 disables");
    public static final Setting<Integer> GATEWAY_MAX_QUEUED = Setting.integer("gateway.max.queued.per.key", 1000, 0,
            10_000_000, "jobs one API key may have waiting for a worker; a submit past it answers 429 with "
                    + "`Retry-After` (counted by each gateway's projection, so the cap is fleet-wide give or take "
                    + "the jobs in flight); 0 disables");
    public static final Setting<Long> GATEWAY_LOG_RETENTION_HOURS = Setting.longValue("gateway.logs.retention.hours",
            168, 1, 100L * 365 * 24, "how long the gateway keeps a finished job in memory with its log lines "
                    + "and idempotency key; then the job is archived to `jobs/{id}/status.json` in the store and its "
                    + "status answers from there (outcome, output and error, without `logs`): bounds the gateway's "
                    + "memory to the live and recent jobs");
    public static final Setting<Long> GATEWAY_SNAPSHOT_SECONDS = Setting.longValue("gateway.snapshot.interval.seconds",
            300, 0, 7L * 24 * 3600, "how often a gateway writes a snapshot of its job projection and billing "
                    + "ledger to the store (`gateway/snapshots/`), so that a starting gateway loads it and replays only "
                    + "the records after it instead of the topics' whole history; 0 turns snapshots off");
    public static final Setting<Integer> GATEWAY_MAX_STREAMS = Setting.integer("gateway.max.streams.per.key", 100, 1,
            1_000_000, "status streams one API key may hold open at once (each holds a timer and a listener until "
                    + "the job ends or the client leaves)");
    public static final Setting<Long> GATEWAY_OUTPUT_LINK_SECONDS = Setting.longValue("gateway.output.link.seconds",
            604_800, 1, 604_800, "how long an output link is valid from the moment a result or webhook is rendered "
                    + "(at most 7 days, S3's limit)");
    public static final Setting<Long> GATEWAY_OUTPUT_RETENTION_SECONDS = Setting.longValue(
            "gateway.output.retention.seconds", 0, 0, 10L * 365 * 24 * 3600, "how long outputs are kept after a job "
                    + "completes when it sends no `X-Fal-Object-Lifecycle-Preference`; 0 keeps them");
    public static final Setting<Long> GATEWAY_UPLOAD_URL_SECONDS = Setting.longValue("gateway.upload.url.seconds",
            3600, 1, 604_800, "how long an upload URL from `/storage/upload/initiate` accepts data (a multipart "
                    + "upload's URL lives until `complete`, within `gateway.upload.multipart.max.seconds`)");
    public static final Setting<Long> GATEWAY_UPLOAD_MULTIPART_MAX_SECONDS = Setting.longValue(
            "gateway.upload.multipart.max.seconds", 604_800, 1, 30L * 24 * 3600, "how long a multipart upload may "
                    + "take from its initiate to its `complete`; past it the upload is aborted and its parts deleted");
    public static final Setting<Long> GATEWAY_UPLOAD_IDLE_SECONDS = Setting.longValue("gateway.upload.idle.seconds",
            30, 1, 3600, "an upload body (or an `Expect: 100-continue` upload) that sends no byte for this long is "
                    + "answered 408 and its scratch file deleted");
    public static final Setting<Long> GATEWAY_UPLOAD_SCRATCH_MAX_BYTES = Setting.longValue(
            "gateway.upload.scratch.max.bytes", 8 * GIB, 1, 1L << 50, "the most scratch disk one API key's uploads "
                    + "in progress may hold in one gateway process (their declared sizes); past it an upload is "
                    + "answered 429");
    public static final Setting<Long> GATEWAY_UPLOAD_MAX_BYTES = Setting.longValue("gateway.upload.max.bytes",
            20 * GIB, 1, 5L << 40, "the largest file one upload may store (a single PUT is also capped at S3's "
                    + "5 GiB)");
    public static final Setting<Long> GATEWAY_UPLOAD_PART_MAX_BYTES = Setting.longValue(
            "gateway.upload.part.max.bytes", 100L << 20, 5L << 20, 5 * GIB,
            "the largest part of a multipart upload (fal's clients send 10 MB parts)");

    public static final Setting<Boolean> GATEWAY_CONSOLE_ENABLED = Setting.flag("gateway.console.enabled", true,
            "serve the web console at `/console/` (README \"The console\"): static pages that call this API with the "
                    + "key a person signs in with; false answers 404 there");

    public static final Setting<String> WEBHOOK_KEYS_FILE = Setting.text("webhook.keys.file", "webhook-keys.json",
            "Ed25519 signing keys, also the secret of upload grants (private: mount as a secret shared by the "
                    + "gateways)").defaultShownAs("`webhook-keys.json` (embedded: in the data dir)");
    public static final Setting<Long> WEBHOOK_TIMEOUT_MS = Setting.longValue("webhook.timeout.ms", 10_000, 100,
            600_000, "one delivery attempt's limit");
    public static final Setting<Long> WEBHOOK_WINDOW_MS = Setting.longValue("webhook.window.ms", 86_400_000L, 1000,
            30L * 86_400_000, "how long retries go on before the dead-letter topic");
    public static final Setting<String> WEBHOOK_RETRY_DELAYS_MS = Setting.text("webhook.retry.delays.ms",
            "5000,30000,300000,1800000,3600000", "the five retry tiers' delays, comma-separated");
    public static final Setting<Integer> WEBHOOK_REDELIVER_LIMIT = Setting.integer("webhook.redeliver.limit.per.minute",
            60, 0, 1_000_000, "webhook redeliveries (`POST …/webhooks/redeliver`) one API key may queue a minute per "
                    + "gateway process (429 with `Retry-After` past it): each one POSTs to the job's webhook URL, so "
                    + "this bounds what a key can send to any receiver; 0 disables");
    public static final Setting<Boolean> ALLOW_PRIVATE_URLS = Setting.flag("allow.private.urls", false,
            "let workers fetch from, and the gateway call webhooks on, loopback and private addresses (local "
                    + "use); link-local and cloud metadata addresses stay refused");

    public static final Setting<Long> DOWNLOAD_CONNECT_TIMEOUT_MS = Setting.longValue("download.connect.timeout.ms",
            10_000, 100, 600_000, "connecting for a training-data or image download");
    public static final Setting<Long> DOWNLOAD_STALL_TIMEOUT_MS = Setting.longValue("download.stall.timeout.ms",
            30_000, 100, 3_600_000, "a download that receives nothing this long fails the attempt");
    public static final Setting<Long> DOWNLOAD_MAX_BYTES = Setting.longValue("download.max.bytes", 20 * GIB, 1,
            5L << 40, "larger downloads fail the job (422)");
    public static final Setting<Integer> DOWNLOAD_ATTEMPTS = Setting.integer("download.attempts", 4, 1, 100,
            "tries for transient download failures");
    public static final Setting<Long> DOWNLOAD_BACKOFF_MS = Setting.longValue("download.backoff.ms", 1000, 0,
            600_000, "first backoff between download tries (doubling, ±20 %)");
    public static final Setting<Integer> ARCHIVE_MAX_ENTRIES = Setting.integer("archive.max.entries", 10_000, 1,
            10_000_000, "most entries a dataset zip may have (read from its end record before the directory)");
    public static final Setting<Long> ARCHIVE_MAX_TOTAL_BYTES = Setting.longValue("archive.max.total.bytes",
            50 * GIB, 1, 5L << 40, "most bytes a dataset zip may expand to");
    public static final Setting<Long> ARCHIVE_MAX_RATIO = Setting.longValue("archive.max.ratio", 200, 1, 100_000,
            "largest compression ratio of an entry (zip bombs)");

    public static final Setting<Double> PREPROCESS_SCENE_THRESHOLD = Setting.decimal("preprocess.scene.threshold", 27,
            0, 255, "scene cut detection: the content change (0-255, HSV, as PySceneDetect) that makes a cut");
    public static final Setting<Double> PREPROCESS_SCENE_MIN_SECONDS = Setting.decimal("preprocess.scene.min.seconds",
            0.5, 0, 3600, "scene cut detection: the shortest scene");
    public static final Setting<Integer> PREPROCESS_MAX_WINDOWS = Setting.integer("preprocess.max.windows.per.clip",
            8, 1, 10_000, "windows one clip may give");
    public static final Setting<Integer> PREPROCESS_PARALLELISM = Setting.integer("preprocess.parallelism", 1, 1,
            1024, "clips of one job decoded at once").defaultShownAs("half the CPUs");
    public static final Setting<Long> PREPROCESS_MAX_CLIP_PIXELS = Setting.longValue("preprocess.max.clip.pixels",
            40_000_000, 1, 1L << 40, "largest picture (width × height) of a clip or keyframe image decoded; a "
                    + "larger one is skipped as undecodable");
    public static final Setting<Double> PREPROCESS_MAX_CLIP_SECONDS = Setting.decimal("preprocess.max.clip.seconds",
            600, 1, 1e7, "decoding of a clip stops at this point of its timeline (logged)");
    public static final Setting<Integer> PREPROCESS_MAX_SAMPLES = Setting.integer("preprocess.max.samples", 1000, 1,
            10_000_000, "most samples one job's dataset may give (both workers hold them in memory); past it the "
                    + "job fails with 422 `dataset_too_large`, billed 0");
    public static final Setting<Long> PREPROCESS_MAX_LATENT_BYTES = Setting.longValue("preprocess.max.latent.bytes",
            GIB, 1, 1L << 40, "most latent bytes one job's dataset may give; past it the job fails with 422 "
                    + "`dataset_too_large`, billed 0").defaultShownAs("1 GiB");

    public static final Setting<String> WORKER_NAME = Setting.text("worker.name", null,
            "names a worker in events and logs").defaultShownAs("host name + pid");
    public static final Setting<Boolean> WORKER_STATIC_MEMBERSHIP = Setting.flag("worker.static.membership", false,
            "a worker joins its consumer group as a static member named `worker.name`: restarted under the same name "
                    + "within the session timeout (10 s) it keeps its partitions without a rebalance; for stable names "
                    + "(a StatefulSet), not for pools whose pods get new names");
    public static final Setting<Integer> WORKER_HEALTH_PORT = Setting.integer("worker.health.port", -1, -1, PORT,
            "a worker serves `GET /health/live` (200 unless a loop failed fatally) and `/health/ready` (200 while "
                    + "its loops poll) on this port, each listing its loops, and `GET /metrics` for Prometheus: JVM "
                    + "memory, GC, threads and CPU, `fleet_worker_events_total{stage,type}` (its jobs by outcome) and "
                    + "`fleet_worker_job_attempt_seconds{stage,result}` (done, failed, handed_back, paused) (0: any free "
                    + "port; `./fleet worker --health-port`)").defaultShownAs("none");
    public static final Setting<Integer> WORKER_MAX_ATTEMPTS = Setting.integer("worker.max.attempts", 3, 1, 100,
            "attempts per job and stage, crashes of the worker's JVM included (counted in Kafka); then the job "
                    + "fails (500, billed 0) and the jobs behind it run");
    public static final Setting<Integer> WORKER_MAX_HAND_BACKS = Setting.integer("worker.max.handbacks", 20, 1, 10_000,
            "times a job may be handed back or stopped without an outcome in one stage (a worker stopped, scaled "
                    + "away or overtaken; counted in Kafka across restarts); then the job fails (500, billed 0)");
    public static final Setting<Integer> WORKER_HAND_BACK_SECONDS = Setting.integer("worker.handback.seconds", 60, 1,
            3600, "how long a stopping worker (SIGTERM, a scale-down) gives its running job to hand back (training "
                    + "saves a checkpoint) before it leaves anyway; keep the pod's termination grace at least 20 s above");
    public static final Setting<Integer> WORKER_NO_OFFSET_REACH = Setting.integer("worker.no.offset.reach.days", 14, 1,
            3650, "a work group reads a partition it has no committed offset for (a new partition, offsets expired "
                    + "after the broker's `offsets.retention.minutes`) from the records of this many days back, not "
                    + "from the start of a topic kept for ever; logged as a warning");
    public static final Setting<Boolean> WORKER_POD_DELETION_COST = Setting.flag("worker.pod.deletion.cost", false,
            "a worker on Kubernetes annotates its own pod (`worker.name`, else `HOSTNAME`) with "
                    + "`controller.kubernetes.io/pod-deletion-cost` 1000 while it runs a job and 0 after, so a "
                    + "scale-down deletes idle workers first; its ServiceAccount needs verb `patch` on `pods` (a "
                    + "failed patch is a warning, never a job's failure)");
    public static final Setting<Long> PREPROCESS_TIME_LIMIT = Setting.longValue("preprocess.job.time.limit.minutes",
            120, 1, 100_000, "preprocessing a job may take from its first attempt, over all attempts and hand-backs; "
                    + "past it the job is interrupted and fails (500, billed 0)");
    public static final Setting<Long> TRAIN_TIME_LIMIT = Setting.longValue("train.job.time.limit.minutes", 1440, 1,
            100_000, "training a job may take from its first attempt, over all attempts and hand-backs; past it "
                    + "the job is interrupted and fails (500, billed 0)");
    public static final Setting<Integer> PREPROCESS_LEASE_HEARTBEAT = Setting.integer(
            "preprocess.lease.heartbeat.seconds", 10, 1, 3600,
            "a preprocessing worker rewrites its job's lease this often (the same on every preprocess worker)");
    public static final Setting<Integer> PREPROCESS_LEASE_STALE = Setting.integer("preprocess.lease.stale.seconds", 60,
            3, 86_400, "another worker takes a preprocessing job over once its lease has not changed for this long, "
                    + "at least 3 beats (the same on every preprocess worker)");

    public static final Setting<String> MODEL_PRESET = Setting.text("model.preset", "tiny",
            "model preset of both workers (`tiny`, `ltx-2.3`)");
    public static final Setting<String> MODEL_DIR = Setting.text("model.dir", ".fleet/models",
            "where base weights are kept: tiny's are made there, those named by `s3://` locations fetched "
                    + "under `s3/` (once per host, reused while their ETags match)")
            .defaultShownAs("`.fleet/models` (embedded: `<data-dir>/models`)");
    public static final Setting<String> MODEL_WEIGHTS = Setting.text("model.weights", null,
            "comma-separated checkpoint shards of a real preset (ltx-2.3: the single-file release with transformer, "
                    + "VAE and text connectors): paths, or `s3://bucket/key` objects reached with the `s3.*` endpoint "
                    + "and credentials");
    public static final Setting<String> MODEL_TEXT_ENCODER = Setting.text("model.text.encoder", null,
            "ltx-2.3's Gemma-3 text model directory: config.json, its safetensors shards and tokenizer.json "
                    + "(preprocess workers only); a path or an `s3://bucket/prefix/` folder");
    public static final Setting<String> MODEL_BASE_PRECISION = Setting.text("model.base.precision", "float32",
            "how a worker keeps the frozen base's matrices (the transformer's linear weights; Gemma-3's on preprocess "
                    + "workers): `float16` stores each row as fp16 with a power-of-two scale (2 bytes a value, exact for "
                    + "bf16 checkpoints; the worker logs the values it is not exact for), cast to float32 where used; "
                    + "`float32` takes 4 bytes a value")
            .defaultShownAs("`float16` for `ltx-2.3`, `float32` for `tiny`");
    public static final Setting<Integer> MODEL_CPU_THREADS = Setting.integer("model.cpu.threads", 1, 1, 4096,
            "PyTorch threads of a worker process without a GPU. Several worker processes on one host must share "
                    + "its cores: threads beyond the cores spin against each other (two training processes with 2 "
                    + "threads each on 2 cores ran 8× slower each than one alone)")
            .defaultShownAs("the processors the JVM may use (follows container limits)");
    public static final Setting<Integer> TRAIN_CHECKPOINT_EVERY = Setting.integer("train.checkpoint.every", 50, 1,
            1_000_000, "steps between checkpoints");
    public static final Setting<Integer> TRAIN_PREVIEW_EVERY = Setting.integer("train.preview.every", 500, 0,
            1_000_000, "steps between intermediate validation previews (`jobs/{id}/outputs/previews/step_N.mp4`, "
                    + "linked in the logs); 0: only the final reel");
    public static final Setting<Integer> TRAIN_PROGRESS_EVERY = Setting.integer("train.progress.every", 5, 1,
            1_000_000, "steps between progress events");
    public static final Setting<Integer> TRAIN_LEASE_HEARTBEAT = Setting.integer("train.lease.heartbeat.seconds", 10,
            1, 3600, "a training worker rewrites its job's lease this often (the same on every train worker)");
    public static final Setting<Integer> TRAIN_LEASE_STALE = Setting.integer("train.lease.stale.seconds", 60, 3,
            86_400, "another worker takes a job over (from its last checkpoint) once its lease has not changed for "
                    + "this long, at least 3 beats (the same on every train worker)");
    public static final Setting<Boolean> TRAIN_LORA_FEED_FORWARD = Setting.flag("train.lora.feed.forward", false,
            "adapt the feed-forward layers too (LTX's trainer adapts attention only)")
            .defaultShownAs("true for `tiny`, false otherwise");
    public static final Setting<Double> TRAIN_FIRST_IN_PLACE_SHARE = Setting.decimal(
            "train.keyframes.first.in.place.share", 0.5, 0, 1,
            "share of training steps whose first keyframe goes in place (latent frame 0 clean, at timestep 0, out of "
                    + "the loss), as image-to-video graphs put a start image (ComfyUI's LTXVImgToVideo, ltx-pipelines' "
                    + "regular pipelines); the other steps append it, as the keyframe-interpolation pipeline does, so "
                    + "one LoRA serves both layouts (default chosen by an ablation on tiny, README \"Models\")");

    public static final Setting<Boolean> TRAIN_BLOCK_CHECKPOINTING = Setting.flag("train.block.checkpointing", false,
            "keep only each transformer block's input through the forward pass and run each block again for its "
                    + "backward pass: one more forward per step, the activations of one block instead of all (same "
                    + "gradients)")
            .defaultShownAs("true for `ltx-2.3`, false for `tiny`");
    public static final Setting<Boolean> TRAIN_ATTENTION_RECOMPUTE = Setting.flag("train.attention.recompute", false,
            "differentiate attention by recomputing its probabilities one query chunk at a time instead of keeping "
                    + "every chunk's tokens × keys probabilities for the backward pass (same gradients to float32 "
                    + "rounding)")
            .defaultShownAs("true for `ltx-2.3`, false for `tiny`");
    public static final Setting<Long> TRAIN_ATTENTION_CHUNK_SCORES = Setting.longValue("train.attention.chunk.scores",
            4L << 20, 1, 1L << 40, "most attention scores (heads × query rows × keys) one chunk holds at once; "
                    + "a few such float32 tensors are alive in a chunk's backward pass")
            .defaultShownAs("134217728 (128 M) for `ltx-2.3`, 4194304 (4 M) for `tiny`");

    /** Every setting, in the README's order. */
    public static final List<Setting<?>> ALL = List.of(
            KAFKA_BOOTSTRAP, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD, TOPICS_REPLICATION, S3_ENDPOINT,
            S3_PUBLIC_ENDPOINT, S3_REGION, S3_ACCESS_KEY, S3_SECRET_KEY, S3_BUCKET, S3_PATH_STYLE, GATEWAY_HOST,
            GATEWAY_PORT, GATEWAY_METRICS_PORT, GATEWAY_PUBLIC_URL, GATEWAY_TRUSTED_PROXIES, GATEWAY_BODY_LIMIT,
            GATEWAY_SUBMIT_TIMEOUT_MS, GATEWAY_KEYS_FILE, GATEWAY_INSTANCES, GATEWAY_RATE_LIMIT, GATEWAY_READ_LIMIT,
            GATEWAY_FAIR_SHARE, GATEWAY_MAX_QUEUED, GATEWAY_LOG_RETENTION_HOURS, GATEWAY_SNAPSHOT_SECONDS,
            GATEWAY_MAX_STREAMS, GATEWAY_OUTPUT_LINK_SECONDS, GATEWAY_OUTPUT_RETENTION_SECONDS,
            GATEWAY_UPLOAD_URL_SECONDS, GATEWAY_UPLOAD_MULTIPART_MAX_SECONDS, GATEWAY_UPLOAD_IDLE_SECONDS,
            GATEWAY_UPLOAD_SCRATCH_MAX_BYTES, GATEWAY_UPLOAD_MAX_BYTES, GATEWAY_UPLOAD_PART_MAX_BYTES,
            GATEWAY_CONSOLE_ENABLED, WEBHOOK_KEYS_FILE,
            WEBHOOK_TIMEOUT_MS, WEBHOOK_WINDOW_MS, WEBHOOK_RETRY_DELAYS_MS, WEBHOOK_REDELIVER_LIMIT, ALLOW_PRIVATE_URLS,
            DOWNLOAD_CONNECT_TIMEOUT_MS, DOWNLOAD_STALL_TIMEOUT_MS, DOWNLOAD_MAX_BYTES, DOWNLOAD_ATTEMPTS,
            DOWNLOAD_BACKOFF_MS, ARCHIVE_MAX_ENTRIES, ARCHIVE_MAX_TOTAL_BYTES, ARCHIVE_MAX_RATIO,
            PREPROCESS_SCENE_THRESHOLD, PREPROCESS_SCENE_MIN_SECONDS, PREPROCESS_MAX_WINDOWS, PREPROCESS_PARALLELISM,
            PREPROCESS_MAX_CLIP_PIXELS, PREPROCESS_MAX_CLIP_SECONDS, PREPROCESS_MAX_SAMPLES,
            PREPROCESS_MAX_LATENT_BYTES, WORKER_NAME, WORKER_STATIC_MEMBERSHIP, WORKER_HEALTH_PORT,
            WORKER_MAX_ATTEMPTS, WORKER_MAX_HAND_BACKS, WORKER_HAND_BACK_SECONDS, WORKER_NO_OFFSET_REACH,
            WORKER_POD_DELETION_COST, PREPROCESS_TIME_LIMIT, TRAIN_TIME_LIMIT, PREPROCESS_LEASE_HEARTBEAT,
            PREPROCESS_LEASE_STALE, MODEL_PRESET, MODEL_DIR, MODEL_WEIGHTS, MODEL_TEXT_ENCODER, MODEL_BASE_PRECISION,
            MODEL_CPU_THREADS, TRAIN_CHECKPOINT_EVERY, TRAIN_PREVIEW_EVERY, TRAIN_PROGRESS_EVERY,
            TRAIN_LEASE_HEARTBEAT, TRAIN_LEASE_STALE, TRAIN_LORA_FEED_FORWARD, TRAIN_FIRST_IN_PLACE_SHARE,
            TRAIN_BLOCK_CHECKPOINTING, TRAIN_ATTENTION_RECOMPUTE, TRAIN_ATTENTION_CHUNK_SCORES);

    private Settings() {
    }
}
