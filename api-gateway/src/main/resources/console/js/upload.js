// Local files into the store through the gateway's storage endpoints (fal's storage API): initiate
// with the key, PUT the bytes to the signed upload URL, train on the returned file_url.
import { ApiError, call } from './api.js';

/** S3's limit for one PUT; the gateway refuses a single upload past it. */
export const MAX_SINGLE_PUT = 5 * 1024 ** 3;

/**
 * Uploads {@code file}; {@code onProgress(sent, total)} follows the bytes. Resolves to the
 * file_url a job can name.
 */
export async function upload(file, onProgress) {
  if (file.size > MAX_SINGLE_PUT) {
    throw new Error(`${file.name} is larger than 5 GiB, the most one upload from the console may be; `
      + "use fal's client (multipart uploads) for it");
  }
  const { body } = await call('POST', '/storage/upload/initiate', {
    json: { content_type: file.type || 'application/octet-stream', file_name: file.name },
  });
  // The signed URL names this gateway as the request reached it (or its public URL): PUT to the
  // page's own origin, which serves the same path, so the policy's connect-src 'self' holds.
  const target = new URL(body.upload_url, location.origin);
  await put(target.pathname + target.search, file, onProgress);
  return body.file_url;
}

function put(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    // XMLHttpRequest because fetch reports no upload progress.
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', path);
    if (file.type) xhr.setRequestHeader('Content-Type', file.type);
    xhr.upload.addEventListener('progress', (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size));
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(file.size, file.size);
        resolve();
        return;
      }
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = { detail: xhr.responseText };
      }
      reject(new ApiError(xhr.status, body, null));
    });
    xhr.addEventListener('error', () => reject(new Error(`The upload of ${file.name} was interrupted`)));
    xhr.send(file);
  });
}
