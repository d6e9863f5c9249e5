package org.ltxfleet.infra.api;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Runs the test classes that train nothing first (the broker, store and command-line tests of
 * {@code org.ltxfleet.infra.stack} and {@code org.ltxfleet.infra.cli}), by name within each group,
 * while {@link PretrainBaseAtStart} makes the base weights the others need.
 */
public final class FleetTestsFirst implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator
                .comparing((ClassDescriptor d) -> trainsNothing(d.getTestClass().getPackageName()) ? 0 : 1)
                .thenComparing(d -> d.getTestClass().getName()));
    }

    private static boolean trainsNothing(String packageName) {
        return packageName.endsWith(".infra.stack") || packageName.endsWith(".infra.cli");
    }
}
