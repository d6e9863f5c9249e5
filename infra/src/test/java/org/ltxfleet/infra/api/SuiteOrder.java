package org.ltxfleet.infra.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Orders the integration tests for JUnit's two threads: the longest {@link CpuBound} class, then
 * every class that trains nothing (the broker and command-line ones first), then the other
 * {@code CpuBound} classes, longest first. The fork-join executor hands the list out from both
 * ends (one thread steals from the front, the other works back from the end), so the short
 * CPU-bound classes start at once and wait, holding the lock on the cores, for the base weights
 * {@link PretrainBaseAtStart} makes while the other thread runs classes that mostly wait; the
 * longest class then trains beside fewer of them. CPU-bound classes that need no base weights go
 * last of all, so the thread working from the end runs them while the base is pre-trained instead
 * of waiting. Measured on 2 cores: this order 14:53 for the module, CPU-bound classes first and the
 * rest after 16:17, one class at a time 19:08.
 */
public final class SuiteOrder implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        List<? extends ClassDescriptor> all = context.getClassDescriptors();
        var heavy = new ArrayList<ClassDescriptor>();
        var light = new ArrayList<ClassDescriptor>();
        for (ClassDescriptor d : all) {
            (d.findAnnotation(CpuBound.class).isPresent() ? heavy : light).add(d);
        }
        heavy.sort(Comparator.comparing((ClassDescriptor d) -> d.findAnnotation(CpuBound.class).orElseThrow().usesTinyBase() ? 0 : 1)
                .thenComparingInt(d -> -d.findAnnotation(CpuBound.class).orElseThrow().seconds())
                .thenComparing(d -> d.getTestClass().getName()));
        light.sort(Comparator.comparing((ClassDescriptor d) -> trainsNothingAtAll(d) ? 0 : 1)
                .thenComparing(d -> d.getTestClass().getName()));
        var ordered = new ArrayList<ClassDescriptor>();
        if (!heavy.isEmpty()) {
            ordered.add(heavy.remove(0));
        }
        ordered.addAll(light);
        ordered.addAll(heavy);
        all.sort(Comparator.comparingInt(ordered::indexOf));
    }

    private static boolean trainsNothingAtAll(ClassDescriptor d) {
        String pkg = d.getTestClass().getPackageName();
        return pkg.endsWith(".infra.stack") || pkg.endsWith(".infra.cli");
    }
}
