package org.ltxfleet.infra.cli;

import java.nio.channels.OverlappingFileLockException;
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
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("another ./fleet is using " + options.dataDir()
                    + "; stop it or pass --data-dir", e);
        }
    }
}
