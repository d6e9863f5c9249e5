// Uploads with @fal-ai/client to a gateway whose upload URLs accept data for 1 s
// (gateway.upload.url.seconds=1), each upload's later requests held back past that second:
// a single PUT then comes too late, while a multipart upload lives until its complete.
// Prints one JSON object with what it saw; the Java test asserts on it.
import { createHash } from "node:crypto";
import { createFalClient, ApiError } from "@fal-ai/client";

const base = process.env.FLEET_URL;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
const held = [];
// The single PUT, part 2 and the complete wait out the URL's lifetime first.
const late = async (url, init) => {
  if (/\/storage\/upload\/(object\?|multipart\/(2|complete)\?)/.test(String(url))) {
    held.push(new URL(String(url)).pathname);
    await sleep(2500);
  }
  return fetch(url, init);
};
const fal = createFalClient({
  credentials: process.env.FLEET_KEY,
  fetch: late,
  requestMiddleware: async (req) => ({ ...req, url: req.url.replace("https://rest.fal.ai", base) }),
});
const report = {};

try {
  await fal.storage.upload(new Blob(["too late"], { type: "application/zip" }));
  report.single = { uploaded: true };
} catch (e) {
  report.single = { uploaded: false, status: e.status ?? null, isApiError: e instanceof ApiError };
}

const big = new Uint8Array(91 * 1024 * 1024);
for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) % 247;
try {
  const bigUrl = await fal.storage.upload(new Blob([big], { type: "application/zip" }));
  const back = new Uint8Array(await (await fetch(bigUrl)).arrayBuffer());
  report.multipart = { bytes: back.length, same: sha256(back) === sha256(big) };
} catch (e) {
  report.multipart = { error: String(e.message ?? e) };
}
report.held = held;

console.log(JSON.stringify(report));
