package org.ltxfleet.infra.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Orders the integration tests for JUnit's two threads. The fork-join executor hands the list out
 * from both ends: one thread takes from the front, the other works back from the end. So the list
 * is every class that trains nothing (the broker and command-line ones first), then the
 * {@link CpuBound} classes on the tiny base, shortest first, then the {@code CpuBound} classes that
 * need no base, shortest first. The back thread starts with the latter while {@link PretrainBaseAtStart}
 * makes the base, then trains on it longest class first; the front thread meanwhile runs the
 * classes that mostly wait. Before (the longest CPU-bound class first from the front, the short
 * ones from the back), the first class waited on the base and the other thread on the cores' lock,
 * and nothing else ran: 270 s of a 15:45 module on CI's 2 cores.
 */
public final class SuiteOrder implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        List<? extends ClassDescriptor> all = context.getClassDescriptors();
        var light = new ArrayList<ClassDescriptor>();
        var onBase = new ArrayList<ClassDescriptor>();
        var withoutBase = new ArrayList<ClassDescriptor>();
        for (ClassDescriptor d : all) {
            var cpuBound = d.findAnnotation(CpuBound.class);
            (cpuBound.isEmpty() ? light : cpuBound.get().usesTinyBase() ? onBase : withoutBase).add(d);
        }
        light.sort(Comparator.comparing((ClassDescriptor d) -> trainsNothingAtAll(d) ? 0 : 1)
                .thenComparing(d -> d.getTestClass().getName()));
        Comparator<ClassDescriptor> shortestFirst = Comparator.comparingInt(
                (ClassDescriptor d) -> d.findAnnotation(CpuBound.class).orElseThrow().seconds())
                .thenComparing(d -> d.getTestClass().getName());
        onBase.sort(shortestFirst);
        withoutBase.sort(shortestFirst);
        var ordered = new ArrayList<ClassDescriptor>(light);
        ordered.addAll(onBase);
        ordered.addAll(withoutBase);
        all.sort(Comparator.comparingInt(ordered::indexOf));
    }

    private static boolean trainsNothingAtAll(ClassDescriptor d) {
        String pkg = d.getTestClass().getPackageName();
        return pkg.endsWith(".infra.stack") || pkg.endsWith(".infra.cli");
    }
}
