package org.ltxfleet.infra.cli;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.ltxfleet.infra.stack.FleetStack;
import org.ltxfleet.infra.stack.StackOptions;

/** What the commands print, in one voice. */
final class Console {

    private Console() {
    }

    static void step(String message) {
        System.out.println("==> " + message);
    }

    /** Starts the stack, turning the usual start-up failures into a sentence with a way out. */
    static FleetStack startStack(StackOptions options) throws Exception {
        long start = System.nanoTime();
        try {
            FleetStack fleet = FleetStack.start(options);
            step(String.format("stack up in %.1f s", (System.nanoTime() - start) / 1e9));
            return fleet;
        } catch (java.net.BindException e) {
            throw new IllegalStateException("a port is already in use (" + e.getMessage()
                    + "); is another ./fleet running? Stop it or pass --port/--kafka-port/--s3-port", e);
        }
    }

    /**
     * Keeps a part running until the JVM is asked to stop (SIGTERM, SIGINT), then closes
     * {@code parts} in reverse order; returns once they are closed.
     */
    static void serveUntilStopped(List<AutoCloseable> parts) throws InterruptedException {
        stopOnShutdown(parts).await();
    }

    /** Closes {@code parts} in reverse order when the JVM is asked to stop; the latch opens once they are. */
    static CountDownLatch stopOnShutdown(List<AutoCloseable> parts) {
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            step("stopping…");
            for (AutoCloseable part : parts.reversed()) {
                try {
                    part.close();
                } catch (Exception e) {
                    System.err.println("fleet: " + part.getClass().getSimpleName() + " did not stop cleanly: " + e);
                }
            }
            stopped.countDown();
        }, "fleet-shutdown"));
        return stopped;
    }
}
