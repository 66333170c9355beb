package org.grad4j.data;

/** How class labels are given, as Keras' {@code label_mode}. */
public enum LabelMode {
    /** The class id 0..k-1 as a float32 scalar per sample (for sparse categorical cross-entropy). */
    INT,
    /** A one-hot float32 vector {@code [k]} per sample (for categorical cross-entropy). */
    CATEGORICAL
}
