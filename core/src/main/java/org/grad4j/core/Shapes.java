package org.grad4j.core;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;

/** Shape arithmetic and the one shape formatter every error message uses. */
public final class Shapes {
    private Shapes() {
    }

    /** Formats a shape as {@code [2, 3]}; a scalar is {@code []}. */
    public static String format(long... shape) {
        return Arrays.toString(shape);
    }

    /** Number of elements of a shape (1 for a scalar). */
    public static long size(long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * The bytes an array of {@code shape} and {@code type} takes, or {@link Long#MAX_VALUE} when that does not
     * fit in a long: a shape read from a file may be hostile, and a product that wraps around would pass any
     * size check.
     *
     * @throws IllegalArgumentException for a negative dimension
     */
    public static long byteCount(long[] shape, DataType type) {
        long bytes = type.width();
        boolean tooLarge = false;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + format(shape) + " has a negative dimension");
            }
            if (d == 0) {
                bytes = 0;   // an empty array takes nothing, however large its other dimensions
            } else if (bytes > Long.MAX_VALUE / d) {
                tooLarge = true;
            } else {
                bytes *= d;
            }
        }
        return tooLarge && bytes != 0 ? Long.MAX_VALUE : bytes;
    }

    /**
     * The NumPy broadcast of two shapes: dimensions are aligned from the right and each pair must be
     * equal or contain a 1.
     *
     * @param op the operation's name, for the error message
     */
    public static long[] broadcast(String op, long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": cannot broadcast shapes " + format(a) + " and "
                        + format(b) + " (dimension " + da + " vs " + db + " when aligned from the right)");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** True when {@code from} broadcasts to exactly {@code to}. */
    public static boolean broadcastsTo(long[] from, long[] to) {
        if (from.length > to.length) {
            return false;
        }
        int offset = to.length - from.length;
        for (int i = 0; i < from.length; i++) {
            if (from[i] != 1 && from[i] != to[i + offset]) {
                return false;
            }
        }
        return true;
    }

    /** Turns a possibly negative axis into an index in {@code [0, rank)}. */
    public static int normalizeAxis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for a tensor of rank " + rank);
        }
        return a;
    }

    /** Normalizes and sorts axes; no axes means all of them. */
    public static int[] normalizeAxes(String op, int[] axes, int rank) {
        if (axes == null || axes.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = normalizeAxis(op, axes[i], rank);
        }
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) {
                throw new IllegalArgumentException(op + ": axis " + out[i] + " is repeated in " + Arrays.toString(axes));
            }
        }
        return out;
    }

    /** The shape of a reduction over {@code axes} with the reduced dimensions kept as 1. */
    public static long[] keepDims(long[] shape, int[] axes) {
        long[] out = shape.clone();
        for (int a : axes) {
            out[a] = 1;
        }
        return out;
    }
}
