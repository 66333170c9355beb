package org.grad4j.losses;

import java.util.StringJoiner;

/**
 * How per-sample losses (already multiplied by the sample weights) become the loss, as Keras 3's
 * {@code reduction} argument. Every division is Keras' {@code divide_no_nan}: a zero divisor gives 0.
 */
public enum Reduction {
    /** Sum divided by the number of per-sample values (not by the sum of the weights). The default. */
    SUM_OVER_BATCH_SIZE("sum_over_batch_size"),
    /** The plain sum. */
    SUM("sum"),
    /** The same as {@link #SUM_OVER_BATCH_SIZE}. */
    MEAN("mean"),
    /** Sum divided by the sum of the sample weights (by the count when there are none). */
    MEAN_WITH_SAMPLE_WEIGHT("mean_with_sample_weight"),
    /** The weighted per-sample losses themselves, e.g. shape {@code [batch]}. */
    NONE("none");

    private final String kerasName;

    Reduction(String kerasName) {
        this.kerasName = kerasName;
    }

    /** The name Keras uses in configs, e.g. {@code sum_over_batch_size}. */
    public String kerasName() {
        return kerasName;
    }

    /** Parses a Keras reduction name; {@code null} (Keras' {@code None}) and {@code "none"} mean {@link #NONE}. */
    public static Reduction fromKerasName(String name) {
        if (name == null || name.equals("None")) {
            return NONE;
        }
        StringJoiner known = new StringJoiner(", ");
        for (Reduction r : values()) {
            if (r.kerasName.equals(name) || r.name().equals(name)) {
                return r;
            }
            known.add(r.kerasName);
        }
        throw new IllegalArgumentException("Reduction: unknown reduction \"" + name + "\" (known: " + known + ", or null)");
    }
}
