package org.grad4j.core;

/**
 * A scope in which no op is recorded, as PyTorch's {@code torch.no_grad()}:
 * {@code try (NoGrad scope = NoGrad.enter()) { ... }}. Scopes nest; each is closed once.
 */
public final class NoGrad implements AutoCloseable {
    private boolean closed;

    private NoGrad() {
        Graph.pauseRecording();
    }

    public static NoGrad enter() {
        return new NoGrad();
    }

    /** True if some NoGrad scope is open on this thread. */
    public static boolean isActive() {
        return !Graph.isRecording();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Graph.resumeRecording();
        }
    }
}
