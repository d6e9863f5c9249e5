package org.ltxfleet.train;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs work that a stop must not cut short on a thread of its own and waits for it whatever
 * interrupts the caller; the caller's interrupt is kept for after. Used once a job's outcome goes
 * out: its charge and done marker must follow, or the next worker would announce the job again.
 */
final class Uninterruptible {

    /** Work that may fail with an I/O error. */
    @FunctionalInterface
    interface Work {
        void run() throws IOException;
    }

    private Uninterruptible() {
    }

    static void run(String name, Work work) throws IOException {
        var task = new FutureTask<Void>(() -> {
            work.run();
            return null;
        });
        Thread.ofPlatform().name(name).start(task);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    task.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    switch (e.getCause()) {
                        case IOException io -> throw io;
                        case RuntimeException runtime -> throw runtime;
                        case Error error -> throw error;
                        default -> throw new IOException(e.getCause());
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
