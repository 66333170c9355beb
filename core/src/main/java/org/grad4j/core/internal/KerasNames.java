package org.grad4j.core.internal;

import java.util.Locale;

/** Keras' naming conventions, shared by layers (auto names), losses and metrics (default names). */
public final class KerasNames {
    private KerasNames() {
    }

    /** Keras' {@code to_snake_case}: {@code BatchNormalization} to {@code batch_normalization}, {@code AUCCurve} to {@code auc_curve}. */
    public static String snakeCase(String name) {
        String s = name.replaceAll("\\W+", "");
        s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
