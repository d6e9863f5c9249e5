package org.ltxfleet.gateway.storage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.ltxfleet.gateway.http.Replies;

/**
 * One upload body on its way to a scratch file, with an idle timeout: a body (or, after
 * {@code Expect: 100-continue}, its start) that sends no byte for {@code idle} is answered 408,
 * its connection closed and the file deleted; so is a body that ends short of its
 * {@code Content-Length}. Waiting for the disk (backpressure) is not idleness. Runs on the
 * request's event loop.
 */
final class ScratchBody {

    /** The body stopped arriving; the 408 has been sent. */
    static final class Idle extends IOException {
        Idle(Duration idle) {
            super("no data for " + idle.toSeconds() + " s");
        }
    }

    private final RoutingContext ctx;
    private final long length;
    private final Duration idle;
    private final Promise<Path> done = Promise.promise();
    private long received;
    private long lastActivity = System.nanoTime();
    private long timer = -1;
    private boolean waitingForDisk;

    ScratchBody(RoutingContext ctx, long length, Duration idle) {
        this.ctx = ctx;
        this.length = length;
        this.idle = idle;
    }

    /** The scratch file holding the whole body; failed (file deleted) when it did not arrive whole. */
    Future<Path> receive(FileSystem files) {
        HttpServerRequest request = ctx.request();
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            ctx.response().writeContinue();
        }
        long checkEvery = Math.max(100, idle.toMillis() / 4);
        timer = ctx.vertx().setPeriodic(checkEvery, id -> checkIdle());
        files.createTempFile("fleet-upload", ".part").onComplete(created -> {
            if (created.failed()) {
                finish(null, created.cause());
                return;
            }
            Path path = Path.of(created.result());
            files.open(created.result(), new OpenOptions().setWrite(true).setTruncateExisting(true))
                    .onComplete(opened -> {
                        if (opened.failed()) {
                            UploadHandler.deleteQuietly(path);
                            finish(null, opened.cause());
                        } else {
                            pump(request, opened.result(), path);
                        }
                    });
        });
        return done.future();
    }

    private void pump(HttpServerRequest request, AsyncFile file, Path path) {
        if (done.future().isComplete()) {
            // Timed out (or the connection failed) while the scratch file was being opened.
            file.close().onComplete(v -> UploadHandler.deleteQuietly(path));
            return;
        }
        file.exceptionHandler(error -> close(file, path, error));
        request.exceptionHandler(error -> close(file, path, error));
        request.handler((Buffer chunk) -> {
            lastActivity = System.nanoTime();
            received += chunk.length();
            file.write(chunk);
            if (file.writeQueueFull()) {
                request.pause();
                waitingForDisk = true;
                file.drainHandler(v -> {
                    waitingForDisk = false;
                    lastActivity = System.nanoTime();
                    request.resume();
                });
            }
        });
        request.endHandler(v -> file.close().onComplete(closed -> {
            if (closed.failed()) {
                UploadHandler.deleteQuietly(path);
                finish(null, closed.cause());
            } else if (received != length) {
                UploadHandler.deleteQuietly(path);
                finish(null, new IOException("the body ended after " + received + " of " + length + " bytes"));
            } else {
                finish(path, null);
            }
        }));
        // Stopped by timeout: close the file and delete it.
        done.future().onFailure(error -> {
            if (error instanceof Idle) {
                file.close().onComplete(v -> UploadHandler.deleteQuietly(path));
            }
        });
        request.resume();
    }

    private void close(AsyncFile file, Path path, Throwable error) {
        if (done.future().isComplete()) {
            return; // already closed (ended or timed out); a late connection error changes nothing
        }
        finish(null, error);
        file.close().onComplete(v -> UploadHandler.deleteQuietly(path));
    }

    private void checkIdle() {
        if (done.future().isComplete() || waitingForDisk || System.nanoTime() - lastActivity < idle.toNanos()) {
            return;
        }
        ctx.request().pause();
        // The body is incomplete: the connection cannot carry another request, so it is closed once
        // the answer is out.
        ctx.response().putHeader("Connection", "close");
        ctx.addEndHandler(v -> ctx.request().connection().close());
        Replies.error(ctx, 408, "The upload sent no data for " + idle.toSeconds() + " seconds "
                + "(gateway.upload.idle.seconds); it was discarded: send it again");
        finish(null, new Idle(idle));
    }

    private void finish(Path path, Throwable error) {
        if (timer >= 0) {
            ctx.vertx().cancelTimer(timer);
            timer = -1;
        }
        if (error == null) {
            done.tryComplete(path);
        } else {
            done.tryFail(error);
        }
    }
}
