package org.ltxfleet.infra.api;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Orders the integration tests for two lanes: every {@link CpuBound} class, longest first, then
 * every class that trains nothing (the broker and command-line ones last). JUnit's fork-join
 * executor hands the list to its two threads from both ends (one steals from the front, the other
 * works back from the end), so one lane trains, longest first, beginning with a wait for the base
 * weights {@link PretrainBaseAtStart} makes, while the other runs the classes that mostly wait,
 * the broker ones meanwhile; where the lanes meet, the lock on the cores keeps training one class
 * at a time.
 */
public final class SuiteOrder implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator
                .comparingInt(SuiteOrder::rank)
                .thenComparing(d -> d.getTestClass().getName()));
    }

    /** Longest CPU-bound first (most negative), then the api classes, then the broker and cli ones. */
    private static int rank(ClassDescriptor d) {
        var cpu = d.findAnnotation(CpuBound.class);
        if (cpu.isPresent()) {
            return -cpu.get().seconds();
        }
        String pkg = d.getTestClass().getPackageName();
        return pkg.endsWith(".infra.stack") || pkg.endsWith(".infra.cli") ? 2 : 1;
    }
}
