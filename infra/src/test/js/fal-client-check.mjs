// Drives the fleet gateway with @fal-ai/client exactly as a fal user would, only rewriting
// fal's queue and REST hosts to ours. Prints one JSON object with what it saw; the Java test asserts on it.
import { createHash } from "node:crypto";
import { createFalClient, ApiError, ValidationError } from "@fal-ai/client";

const base = process.env.FLEET_URL;
const endpoint = "fal-ai/ltx23-trainer-v2/interpolate";
const toFleet = async (req) => ({
  ...req,
  url: req.url.replace("https://queue.fal.run", base).replace("https://rest.fal.ai", base),
});
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
const fal = createFalClient({ credentials: process.env.FLEET_KEY, requestMiddleware: toFleet });
const input = (trigger) => ({
  training_data_url: "https://example.com/clips.zip",
  trigger_phrase: trigger,
  number_of_steps: 100,
  resolution: "low",
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const report = {};

async function errorOf(promise) {
  try {
    await promise;
    return null;
  } catch (e) {
    return { name: e.name, status: e.status, body: e.body ?? null,
             fieldErrors: e instanceof ValidationError ? e.fieldErrors : null,
             isApiError: e instanceof ApiError, timeoutType: e.timeoutType ?? null,
             isUserTimeout: e.isUserTimeout === true };
  }
}

// submit + status with logs
const submitted = await fal.queue.submit(endpoint, { input: input("plain") });
report.submit = submitted;
report.status = await fal.queue.status(endpoint, { requestId: submitted.request_id, logs: true });

// subscribe, polling, with logs and queue updates
const polledUpdates = [];
const polled = await fal.subscribe(endpoint, {
  input: input("polled"), logs: true, pollInterval: 100,
  onQueueUpdate: (u) => polledUpdates.push({ status: u.status, logs: (u.logs ?? []).map((l) => l.message) }),
});
report.subscribePolling = { requestId: polled.requestId, data: polled.data, updates: polledUpdates };

// subscribe, streaming (server-sent events), with logs
const streamedUpdates = [];
const streamed = await fal.subscribe(endpoint, {
  input: input("streamed"), logs: true, mode: "streaming",
  onQueueUpdate: (u) => streamedUpdates.push({ status: u.status, logs: (u.logs ?? []).map((l) => l.message) }),
});
report.subscribeStreaming = { requestId: streamed.requestId, data: streamed.data, updates: streamedUpdates };

// streamStatus directly
const watched = await fal.queue.submit(endpoint, { input: input("watched") });
const stream = await fal.queue.streamStatus(endpoint, { requestId: watched.request_id, logs: true });
report.streamStatusDone = await stream.done();

// cancel a job while it runs
const slow = await fal.queue.submit(endpoint, { input: input("slow") });
for (let i = 0; i < 100; i++) {
  const s = await fal.queue.status(endpoint, { requestId: slow.request_id });
  if (s.status === "IN_PROGRESS") break;
  await sleep(100);
}
// while the slow job holds the (one) scripted worker, a job with startTimeout waits in the queue past it
const late = await fal.queue.submit(endpoint, { input: input("late"), startTimeout: 2 });
let lateStatus;
for (let i = 0; i < 100; i++) {
  lateStatus = await fal.queue.status(endpoint, { requestId: late.request_id });
  if (lateStatus.status === "COMPLETED") break;
  await sleep(100);
}
report.lateStatus = lateStatus;
report.lateResult = await errorOf(fal.queue.result(endpoint, { requestId: late.request_id }));
report.cancel = await errorOf(fal.queue.cancel(endpoint, { requestId: slow.request_id }));
let after;
for (let i = 0; i < 100; i++) {
  after = await fal.queue.status(endpoint, { requestId: slow.request_id, logs: true });
  if (after.status === "COMPLETED") break;
  await sleep(100);
}
report.canceledStatus = after;
report.canceledResult = await errorOf(fal.queue.result(endpoint, { requestId: slow.request_id }));
report.cancelAgain = await errorOf(fal.queue.cancel(endpoint, { requestId: slow.request_id }));

// uploads: one PUT, then the multipart flow the client switches to past 90 MB
const small = new TextEncoder().encode("a small upload " + Date.now());
const smallUrl = await fal.storage.upload(new Blob([small], { type: "application/zip" }));
report.upload = { url: smallUrl, same: sha256(new Uint8Array(await (await fetch(smallUrl)).arrayBuffer())) === sha256(small) };
const big = new Uint8Array(91 * 1024 * 1024);
for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) % 251;
const bigUrl = await fal.storage.upload(new Blob([big], { type: "application/zip" }));
const bigBack = new Uint8Array(await (await fetch(bigUrl)).arrayBuffer());
report.multipart = { url: bigUrl, bytes: bigBack.length, same: sha256(bigBack) === sha256(big) };

// a Blob as training_data_url is uploaded by the client and read by the worker from our store;
// outputs kept 600 s (storageSettings → X-Fal-Object-Lifecycle-Preference)
const dataset = new TextEncoder().encode("PK pretend clips " + Date.now());
const trained = await fal.subscribe(endpoint, {
  input: { ...input("fetch"), training_data_url: new Blob([dataset], { type: "application/zip" }) },
  logs: true, pollInterval: 100, storageSettings: { expiresIn: 600 },
});
const lora = trained.data.lora_file.url;
report.blobTraining = {
  sha256: sha256(dataset), bytes: dataset.length, logs: (await fal.queue.status(endpoint,
    { requestId: trained.requestId, logs: true })).logs.map((l) => l.message),
  loraUrl: lora, loraStatus: (await fetch(lora)).status,
};

// storageSettings as the client sends them (recorded on their way out): a number of seconds and
// "never", on uploads (X-Fal-Object-Lifecycle on the initiate) and on a submit (the queue's header)
const sent = [];
const recording = createFalClient({
  credentials: process.env.FLEET_KEY,
  requestMiddleware: async (req) => {
    sent.push({ url: req.url, headers: { ...(req.headers ?? {}) } });
    return toFleet(req);
  },
});
const sentTo = (path) => sent.filter((r) => r.url.includes(path)).map((r) => r.headers);
const epochSecond = () => Math.floor(Date.now() / 1000);
const hourFrom = epochSecond();
const hourUrl = await recording.storage.upload(new Blob(["kept an hour"], { type: "application/zip" }),
  { lifecycle: { expiresIn: 3600 } });
const hourUntil = epochSecond() + 1;
const keptUrl = await recording.storage.upload(new Blob(["kept for good"], { type: "application/zip" }),
  { lifecycle: { expiresIn: "never" } });
const [hourSent, keptSent] = sentTo("/storage/upload/initiate");
const forever = await recording.subscribe(endpoint, {
  input: input("forever"), pollInterval: 100, storageSettings: { expiresIn: "never" },
});
report.storageSettings = {
  uploadSeconds: { url: hourUrl, sent: hourSent, status: (await fetch(hourUrl)).status, from: hourFrom,
    until: hourUntil },
  uploadNever: { url: keptUrl, sent: keptSent, status: (await fetch(keptUrl)).status },
  submitNever: { loraUrl: forever.data.lora_file.url, sent: sentTo(`/${endpoint}`)[0] },
};

// invalid input and a wrong key
report.invalid = await errorOf(fal.queue.submit(endpoint, { input: { ...input("bad"), rank: 7 } }));
const stranger = createFalClient({ credentials: "nobody:wrong", requestMiddleware: toFleet });
report.wrongKey = await errorOf(stranger.queue.status(endpoint, { requestId: submitted.request_id }));

console.log(JSON.stringify(report));
