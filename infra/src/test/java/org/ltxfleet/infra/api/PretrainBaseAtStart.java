package org.ltxfleet.infra.api;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts pre-training the tiny base weights (two minutes on one core) as the integration tests
 * begin, so it runs beside the tests that train nothing ({@link SuiteOrder}), which mostly wait,
 * instead of holding up the first test that trains by the whole two minutes. Only where the build asks for it
 * ({@code fleet.base.pretrain.at.start}, set for failsafe): a unit-test JVM would exit under it.
 */
public final class PretrainBaseAtStart implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (Boolean.getBoolean("fleet.base.pretrain.at.start")) {
            TestStacks.startBaseWeights();
        }
    }
}
