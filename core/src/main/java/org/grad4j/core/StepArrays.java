package org.grad4j.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Java arrays of a training step's small tensors, handed out again by the next step: what a workspace is to
 * the step's ND4J arrays, for the values grad4j keeps in Java (see {@link Kernels}). A step of the Keras tutorial
 * model otherwise leaves about 100 KB of such arrays behind, and the collector's pauses for that garbage were
 * enough for G1 to grow a small heap step by step over an epoch (its growth threshold falls toward 1 % of the time
 * for a heap far below its maximum).
 *
 * <p>An array is lent only while the step's workspace is the current one on the lending thread, so the values
 * follow the workspace's rules: they are valid until the step ends, and code that keeps something past the step
 * (it leaves the workspace for that: {@code scopeOutOfWorkspaces}) gets new arrays as before. A gradient kept in
 * {@link Tensor#grad()} is copied out (see {@code Storage.Small.outsideWorkspaces}). Lent arrays are zeroed, as
 * new ones are. Arrays shorter than {@link #FROM} elements are always new (scalars and the like cost little).
 * Int arrays (a max pooling's winning cells, kept for its backward pass) are lent the same way.
 *
 * <p>One instance per trainer; not thread-safe (a step runs on one thread; kernels that fork allocate on the
 * calling thread or get new arrays on the workers).
 */
public final class StepArrays {
    /** The shortest array worth keeping: below this the collector's cost per array is small. */
    static final int FROM = 256;
    /** At most this many elements of each type are kept between steps (64 MB), whatever a step lends. */
    static final long KEEP_AT_MOST = 16L << 20;

    private static final ThreadLocal<StepArrays> LENDING = new ThreadLocal<>();

    private final Pool<float[]> floats = new Pool<>(n -> new float[n], a -> a.length, a -> Arrays.fill(a, 0f));
    private final Pool<int[]> ints = new Pool<>(n -> new int[n], a -> a.length, a -> Arrays.fill(a, 0));
    private MemoryWorkspace workspace;
    private int depth;

    /**
     * Lends arrays on this thread while {@code workspace} is current, until the returned scope closes; then every
     * array lent in the scope may be lent again. A scope opened inside an open one of the same instance lends for
     * the outer one (nothing is taken back before the outer scope closes).
     */
    public Scope lend(MemoryWorkspace workspace) {
        if (workspace == null) {
            throw new IllegalArgumentException("StepArrays.lend: the workspace is null");
        }
        StepArrays previous = LENDING.get();
        if (depth++ == 0) {
            this.workspace = workspace;
        }
        LENDING.set(this);
        return () -> {
            LENDING.set(previous);
            if (--depth == 0) {
                this.workspace = null;
                floats.takeBack();
                ints.takeBack();
            }
        };
    }

    /** A scope of {@link #lend}; closing it never fails. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** A zeroed array of {@code n} floats: a lent one inside a step (see the class comment), else a new one. */
    static float[] floats(int n) {
        StepArrays lender = n >= FROM ? lender() : null;
        return lender == null ? new float[n] : lender.floats.take(n);
    }

    /** A zeroed array of {@code n} ints, as {@link #floats}. */
    static int[] ints(int n) {
        StepArrays lender = n >= FROM ? lender() : null;
        return lender == null ? new int[n] : lender.ints.take(n);
    }

    /** This thread's lender while its step's workspace is the current one, else null. */
    private static StepArrays lender() {
        StepArrays lender = LENDING.get();
        return lender != null && lender.workspace == Nd4j.getMemoryManager().getCurrentWorkspace() ? lender : null;
    }

    /** Arrays of one element type: those free by length, and those the open step has lent. */
    private static final class Pool<A> {
        private final java.util.function.IntFunction<A> create;
        private final java.util.function.ToIntFunction<A> length;
        private final java.util.function.Consumer<A> zero;
        private final Map<Integer, ArrayDeque<A>> free = new HashMap<>();
        private final ArrayList<A> lent = new ArrayList<>();
        private long kept;

        Pool(java.util.function.IntFunction<A> create, java.util.function.ToIntFunction<A> length,
                java.util.function.Consumer<A> zero) {
            this.create = create;
            this.length = length;
            this.zero = zero;
        }

        A take(int n) {
            ArrayDeque<A> same = free.get(n);
            A a = same == null ? null : same.pollLast();
            if (a == null) {
                a = create.apply(n);
            } else {
                kept -= n;
                zero.accept(a);
            }
            lent.add(a);
            return a;
        }

        void takeBack() {
            for (A a : lent) {
                int n = length.applyAsInt(a);
                if (kept + n <= KEEP_AT_MOST) {
                    free.computeIfAbsent(n, k -> new ArrayDeque<>()).addLast(a);
                    kept += n;
                }
            }
            lent.clear();
        }
    }

    /** How many arrays the open step has lent (for tests). */
    int lentCount() {
        return floats.lent.size() + ints.lent.size();
    }
}
