package org.ltxfleet.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class UninterruptibleTest {

    @Test
    void anInterruptOfTheCallerNeitherStopsTheWorkNorIsLost() throws Exception {
        var started = new CountDownLatch(1);
        var finished = new AtomicBoolean();
        var callerSawInterrupt = new AtomicBoolean();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                Uninterruptible.run("finish-test", () -> {
                    started.countDown();
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        throw new IOException("the work itself was interrupted");
                    }
                    finished.set(true);
                });
                callerSawInterrupt.set(Thread.currentThread().isInterrupted());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        started.await();
        caller.interrupt();
        caller.join(5_000);
        assertThat(finished).isTrue();
        assertThat(callerSawInterrupt).as("the caller's interrupt is kept").isTrue();
    }

    @Test
    void theWorksFailureReachesTheCaller() {
        assertThatThrownBy(() -> Uninterruptible.run("fail-test", () -> {
            throw new IOException("store away");
        })).isInstanceOf(IOException.class).hasMessage("store away");
    }
}
