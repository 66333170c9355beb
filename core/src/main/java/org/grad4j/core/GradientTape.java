package org.grad4j.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TensorFlow's door to the graph. While a tape is open, ops on the tensors it watches are recorded
 * (trainable {@link Variable}s and tensors that require grad are recorded anyway);
 * {@link #gradient} then walks back from a target, inside the try block or after it.
 *
 * <pre>{@code
 * GradientTape tape = GradientTape.open();
 * try (tape) {
 *     tape.watch(x);
 *     y = x.mul(x);
 * }
 * Tensor dydx = tape.gradient(y, x);
 * }</pre>
 *
 * A one-shot tape ({@link #open()}) answers one {@code gradient} call; a {@link #persistent()} one
 * answers any number. Calling {@code gradient} on an inner tape while an outer tape is open records
 * the backward ops on the outer one, so nested tapes give second derivatives.
 */
public final class GradientTape implements AutoCloseable {
    private static final ThreadLocal<List<GradientTape>> OPEN = ThreadLocal.withInitial(ArrayList::new);

    private final boolean persistent;
    private final Set<Tensor> watched = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean recording = true;
    private boolean used;

    private GradientTape(boolean persistent) {
        this.persistent = persistent;
        OPEN.get().add(this);
    }

    /** A tape whose {@link #gradient} may be called once. */
    public static GradientTape open() {
        return new GradientTape(false);
    }

    /** A tape whose {@link #gradient} may be called any number of times. */
    public static GradientTape persistent() {
        return new GradientTape(true);
    }

    public boolean isPersistent() {
        return persistent;
    }

    /** Tracks constants (tensors that neither require grad nor are trainable variables) for this tape. */
    public GradientTape watch(Tensor... tensors) {
        if (!recording) {
            throw new IllegalStateException("GradientTape.watch: the tape is closed; watch tensors inside its try block");
        }
        for (Tensor t : tensors) {
            watched.add(t);
        }
        return this;
    }

    /** Like {@link #watch(Tensor...)} for a list. */
    public GradientTape watch(List<? extends Tensor> tensors) {
        return watch(tensors.toArray(new Tensor[0]));
    }

    /** The tensors this tape watches explicitly. */
    public List<Tensor> watchedTensors() {
        return List.copyOf(watched);
    }

    static boolean isWatched(Tensor t) {
        List<GradientTape> open = OPEN.get();
        for (int i = open.size() - 1; i >= 0; i--) {
            if (open.get(i).watched.contains(t)) {
                return true;
            }
        }
        return false;
    }

    /** d target / d source; {@code null} when the target does not depend on the source. */
    public Tensor gradient(Tensor target, Tensor source) {
        return gradient(target, List.of(source), UnconnectedGradients.NONE).get(0);
    }

    /** d target / d source, with zeros or {@code null} for an unconnected source. */
    public Tensor gradient(Tensor target, Tensor source, UnconnectedGradients unconnected) {
        return gradient(target, List.of(source), unconnected).get(0);
    }

    /** The gradients of the target for each source, in order ({@code null} for unconnected sources). */
    public List<Tensor> gradient(Tensor target, List<? extends Tensor> sources) {
        return gradient(target, sources, UnconnectedGradients.NONE);
    }

    /**
     * The gradients of the target for each source, in order. A non-scalar target is treated as the
     * sum of its elements, as in TensorFlow.
     */
    public List<Tensor> gradient(Tensor target, List<? extends Tensor> sources, UnconnectedGradients unconnected) {
        if (used && !persistent) {
            throw new IllegalStateException("GradientTape.gradient: this one-shot tape has already computed a gradient "
                    + "and freed its graph; create it with GradientTape.persistent() to call gradient() more than once");
        }
        used = true;
        Set<Tensor> sourceSet = Collections.newSetFromMap(new IdentityHashMap<>());
        sourceSet.addAll(sources);
        boolean outerTapeOpen = hasOtherOpenTape();
        Map<Tensor, Tensor> grads = Backprop.run(target, Tensor.onesLike(target), sourceSet::contains,
                outerTapeOpen, !persistent && !outerTapeOpen);
        List<Tensor> out = new ArrayList<>(sources.size());
        for (Tensor s : sources) {
            Tensor g = grads.get(s);
            if (g == null && unconnected == UnconnectedGradients.ZERO) {
                g = Tensor.zerosLike(s);
            }
            out.add(g);
        }
        return out;
    }

    private boolean hasOtherOpenTape() {
        for (GradientTape t : OPEN.get()) {
            if (t != this) {
                return true;
            }
        }
        return false;
    }

    /** Stops recording; {@link #gradient} still works afterwards. */
    @Override
    public void close() {
        if (recording) {
            recording = false;
            OPEN.get().remove(this);
        }
    }
}
