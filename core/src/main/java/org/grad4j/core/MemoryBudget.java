package org.grad4j.core;

import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Checks that an array fits before it is allocated, so that a size nobody can afford (a crafted model file
 * declaring a 100000 x 100000 layer, a typo in {@code units}) is refused with a message naming who asked, the
 * shape and the bytes, instead of an {@link OutOfMemoryError} or a machine brought to a halt.
 *
 * <p>{@link #reserve} is called by whoever allocates a long-lived array: a layer's {@code addWeight}, an
 * optimizer's slots, a reader of {@code .npy} data. On its own it checks one array against the
 * {@linkplain MemoryHeadroom headroom}. Inside {@link #open}, a job such as loading a model sums every
 * reservation on this thread, overflow-safe, and checks the total against the headroom measured when the job
 * began, so that a model whose weights fit one by one but not together is refused at the weight that no
 * longer fits rather than when the machine is out of memory.
 *
 * <pre>{@code
 * try (MemoryBudget budget = MemoryBudget.open("Model.load(m.g4j)")) {
 *     ... build the model, read its arrays ...
 * }
 * }</pre>
 */
public final class MemoryBudget implements AutoCloseable {
    private static final ThreadLocal<MemoryBudget> OPEN = new ThreadLocal<>();

    private final String job;
    private final MemoryBudget outer;
    private final long allowance;
    /** Raised, never lowered, after a collection shows more is free than at the start. */
    private long physical;
    /** False for test budgets with given limits: no collection can change those. */
    private final boolean measured;
    private long reserved;

    private MemoryBudget(String job, long allowance, long physical, boolean measured, MemoryBudget outer) {
        this.job = job;
        this.allowance = allowance;
        this.physical = physical;
        this.measured = measured;
        this.outer = outer;
    }

    /**
     * Starts summing this thread's reservations for {@code job} (named in messages, e.g.
     * {@code Model.load(m.g4j)}) against the headroom now. Close it when the job ends.
     */
    public static MemoryBudget open(String job) {
        return push(new MemoryBudget(job, MemoryHeadroom.allowance(), MemoryHeadroom.physical(), true, OPEN.get()));
    }

    /** A budget of exactly {@code limit} bytes, for tests. */
    static MemoryBudget open(String job, long limit) {
        return push(new MemoryBudget(job, limit, limit, false, OPEN.get()));
    }

    private static MemoryBudget push(MemoryBudget budget) {
        OPEN.set(budget);
        return budget;
    }

    /**
     * Checks that a new array of {@code shape} and {@code type} fits, before it is allocated; inside an open
     * budget it is counted towards the job's total.
     *
     * @param owner who allocates, for the message, e.g. {@code dense_1 (Dense)}
     * @param what  the array, e.g. {@code weight dense_1/kernel:0}
     * @throws IllegalArgumentException when it does not fit, naming owner, array, shape and bytes
     */
    public static void reserve(String owner, String what, long[] shape, DataType type) {
        long bytes = Shapes.byteCount(shape, type);
        MemoryBudget budget = OPEN.get();
        if (budget == null) {
            budget = new MemoryBudget(null, MemoryHeadroom.allowance(), MemoryHeadroom.physical(), true, null);
        }
        budget.take(owner + ": " + what + " " + Shapes.format(shape) + " " + type, bytes);
    }

    /**
     * Gives back a reservation whose array has been freed (closed), so that a job that reads a copy, assigns
     * it and frees it is not charged for every copy it ever held.
     */
    public static void release(long[] shape, DataType type) {
        MemoryBudget budget = OPEN.get();
        if (budget != null) {
            budget.reserved = Math.max(0, budget.reserved - Shapes.byteCount(shape, type));
        }
    }

    /** The bytes reserved so far. */
    public long reserved() {
        return reserved;
    }

    private void take(String request, long bytes) {
        long total = bytes > Long.MAX_VALUE - reserved ? Long.MAX_VALUE : reserved + bytes;
        if (total > allowance) {
            throw refusal(request, bytes, total, allowance, MemoryHeadroom.allowanceRule());
        }
        if (total > physical && measured) {
            long freeNow = MemoryHeadroom.physicalAfterCollection(bytes);
            // what this job reserved is (mostly) allocated by now, so it is no longer in what is free
            physical = Math.max(physical, freeNow > Long.MAX_VALUE - reserved ? Long.MAX_VALUE : reserved + freeNow);
        }
        if (total > physical) {
            throw refusal(request, bytes, total, physical, "the physical memory left: the machine's available memory, "
                    + "and JavaCPP's maxPhysicalBytes less this process's resident size");
        }
        reserved = total;
    }

    private IllegalArgumentException refusal(String request, long bytes, long total, long limit, String rule) {
        String needs = bytes == Long.MAX_VALUE ? "more than " + format(Long.MAX_VALUE) : format(bytes);
        String whole = reserved == 0 ? ""
                : "; with the " + format(reserved) + " reserved before it, " + job + " would need " + format(total);
        String who = job == null ? "this process" : job;
        return new IllegalArgumentException(request + " needs " + needs + whole + ", more than the " + format(limit) + " "
                + who + " may use (" + rule + ")");
    }

    /** {@code 6,400,000,000 bytes (6.0 GiB)}: exact for comparing, rounded for reading. */
    public static String format(long bytes) {
        String exact = String.format(Locale.ROOT, "%,d bytes", bytes);
        if (bytes < 1024) {
            return exact;
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return exact + String.format(Locale.ROOT, " (%.1f %s)", value, units[unit]);
    }

    /** Ends the job; budgets close innermost first, as try-with-resources does. */
    @Override
    public void close() {
        if (OPEN.get() == this) {
            if (outer == null) {
                OPEN.remove();
            } else {
                OPEN.set(outer);
            }
        }
    }
}
