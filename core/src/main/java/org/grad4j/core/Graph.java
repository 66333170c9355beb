package org.grad4j.core;

/**
 * Where ops are recorded. An op's result carries a {@link Node} only when recording is on (no
 * {@link NoGrad} scope) and at least one input is tracked: it has a node itself, requires grad
 * (leaves, trainable {@link Variable}s) or is watched by an open {@link GradientTape}. Untracked math
 * costs one check per input.
 */
public final class Graph {
    private static final ThreadLocal<int[]> NO_GRAD_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Graph() {
    }

    /** True unless a {@link NoGrad} scope is active on this thread. */
    public static boolean isRecording() {
        return NO_GRAD_DEPTH.get()[0] == 0;
    }

    static void pauseRecording() {
        NO_GRAD_DEPTH.get()[0]++;
    }

    static void resumeRecording() {
        NO_GRAD_DEPTH.get()[0]--;
    }

    /** True if ops on {@code t} are recorded (given recording is on). */
    public static boolean isTracked(Tensor t) {
        return t.node != null || t.requiresGrad || GradientTape.isWatched(t);
    }

    /** Records a one-input op. */
    static Tensor record(Tensor out, String op, Tensor a, Vjp da) {
        if (!isRecording() || !isTracked(a)) {
            return out;
        }
        return attach(out, op, new Tensor[] {a}, new Vjp[] {da}, new boolean[] {true});
    }

    /** Records a two-input op; a gradient is computed only for the inputs that are tracked. */
    static Tensor record(Tensor out, String op, Tensor a, Tensor b, Vjp da, Vjp db) {
        if (!isRecording()) {
            return out;
        }
        boolean ta = isTracked(a);
        boolean tb = isTracked(b);
        if (!ta && !tb) {
            return out;
        }
        return attach(out, op, new Tensor[] {a, b}, new Vjp[] {da, db}, new boolean[] {ta, tb});
    }

    /** Records an op with any number of inputs. */
    static Tensor record(Tensor out, String op, Tensor[] inputs, Vjp[] vjps) {
        if (inputs.length != vjps.length) {
            throw new IllegalArgumentException(op + ": " + inputs.length + " inputs but " + vjps.length + " gradient rules");
        }
        if (!isRecording()) {
            return out;
        }
        boolean[] needs = new boolean[inputs.length];
        boolean any = false;
        for (int i = 0; i < inputs.length; i++) {
            needs[i] = vjps[i] != null && isTracked(inputs[i]);
            any |= needs[i];
        }
        return any ? attach(out, op, inputs.clone(), vjps.clone(), needs) : out;
    }

    private static Tensor attach(Tensor out, String op, Tensor[] inputs, Vjp[] vjps, boolean[] needs) {
        Throwable trace = Anomaly.isEnabled() ? new Throwable("forward of " + op + " ran here") : null;
        out.node = new Node(op + "Backward", inputs, vjps, needs, trace);
        return out;
    }
}
