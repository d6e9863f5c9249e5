package org.ltxfleet.common.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One large object into a file as several ranged GETs at once: a single S3 stream reads a 46 GB
 * checkpoint at a fraction of what the store and the network give (S3's own guidance is parallel
 * ranges of 8–16 MB or more), and a pool scaled up from zero waits for it. Every range is read
 * with {@code If-Match}, so an object replaced meanwhile fails the download rather than mixing two
 * versions; each part is written at its own offset of the file.
 */
final class RangedDownload {

    private final S3Client s3;
    private final long partBytes;
    private final int parallel;

    RangedDownload(S3Client s3, long partBytes, int parallel) {
        this.s3 = s3;
        this.partBytes = partBytes;
        this.parallel = parallel;
    }

    /** Writes the object's {@code size} bytes into {@code target}; {@code progress} hears the bytes done so far. */
    void fetch(String bucket, String key, String etag, long size, Path target, LongConsumer progress)
            throws IOException {
        int parts = (int) Math.max(1, (size + partBytes - 1) / partBytes);
        var done = new AtomicLong();
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, parts),
                     Thread.ofPlatform().name("model-fetch-", 0).daemon().factory())) {
            var futures = new ArrayList<Future<?>>();
            for (int part = 0; part < parts; part++) {
                long first = part * partBytes;
                long last = Math.min(size, first + partBytes) - 1;
                futures.add(pool.submit(() -> {
                    copyRange(bucket, key, etag, first, last, out);
                    progress.accept(done.addAndGet(last - first + 1));
                    return null;
                }));
            }
            try {
                for (Future<?> future : futures) {
                    future.get();
                }
            } catch (ExecutionException e) {
                futures.forEach(f -> f.cancel(true));
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                futures.forEach(f -> f.cancel(true));
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while fetching s3://" + bucket + "/" + key);
            }
        }
    }

    private void copyRange(String bucket, String key, String etag, long first, long last, FileChannel out)
            throws IOException {
        long position = first;
        byte[] chunk = new byte[1 << 20];
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key).ifMatch(etag)
                .range("bytes=" + first + "-" + last))) {
            int read;
            while ((read = in.read(chunk)) > 0) {
                var buffer = ByteBuffer.wrap(chunk, 0, Math.min(read, (int) (last + 1 - position)));
                while (buffer.hasRemaining()) {
                    position += out.write(buffer, position);
                }
            }
        }
        if (position != last + 1) {
            throw new IOException("got " + (position - first) + " of " + (last + 1 - first) + " bytes of the range at "
                    + first);
        }
    }
}
