package org.grad4j.core;

/** What {@link GradientTape#gradient} returns for a source the target does not depend on. */
public enum UnconnectedGradients {
    /** {@code null}, as TensorFlow's default. */
    NONE,
    /** Zeros of the source's shape. */
    ZERO
}
