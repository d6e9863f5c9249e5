package org.ltxfleet.infra.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A test class that keeps the machine's cores busy (it trains). Test classes run two at a time
 * (junit-platform.properties), but at most one of these: each runs beside the classes that mostly
 * wait on brokers, timeouts and outages, never beside another that trains.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ResourceLock(CpuBound.CORES)
public @interface CpuBound {

    /** The shared resource these classes lock: the cores. */
    String CORES = "cores";

    /** About how many seconds the class runs on two cores; {@link SuiteOrder} starts the longest first. */
    int seconds();

    /**
     * Whether it trains on the tiny base weights. Those that do not ({@link SuiteOrder} starts them
     * first from the back) keep the cores busy while the base is still being pre-trained.
     */
    boolean usesTinyBase() default true;
}
