package org.grad4j.core;

/** A NaN or Inf appeared in a backward pass while {@link Anomaly} mode was on. */
public class AnomalyException extends ArithmeticException {
    private final String op;

    AnomalyException(String op, int input, String what, Throwable forwardTrace) {
        super("Function '" + op + "' returned " + what + " values in the gradient of its input " + input
                + (forwardTrace == null ? " (the op was recorded before anomaly mode was enabled, so its forward trace is unknown)"
                        : "; the stack trace of its forward call is the cause of this exception"));
        this.op = op;
        if (forwardTrace != null) {
            initCause(forwardTrace);
        }
    }

    /** The backward node's name, e.g. {@code LogBackward}. */
    public String op() {
        return op;
    }
}
