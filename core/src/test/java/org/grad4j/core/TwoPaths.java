package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs one op twice on the same float32 values: once on the Java path (small tensors, {@link Kernels}) and
 * once on the ND4J path, then compares the results and the gradients bit for bit (any NaN equals any NaN).
 *
 * <p>The switch is {@link Kernels#fits}: a small-backed tensor, or an ND4J float32 one of at most
 * {@link Kernels#READ_LIMIT} elements, takes the Java loops. On the ND4J path every operand is therefore
 * stacked: {@link #copies} identical copies along a new leading axis (its shape first padded with 1s to the
 * op's rank, so broadcasting pairs the same copies), in an ND4J array of more than {@code READ_LIMIT} elements.
 * Ops are written against {@link Path#shape} and negative axes, so one lambda serves both paths; each copy of
 * the ND4J result must equal the Java result.
 *
 * <p>With {@code -Dgrad4j.kernels=nd4j} there is no Java path: both runs are ND4J, and the check compares small
 * ND4J arrays with large ones (the same bits whatever the size).
 */
final class TwoPaths {
    /** Where an op runs; {@link #shape} prepends the copies axis on the ND4J path. */
    static final class Path {
        final boolean nd4j;
        final int copies;

        Path(boolean nd4j, int copies) {
            this.nd4j = nd4j;
            this.copies = copies;
        }

        long[] shape(long... shape) {
            if (!nd4j) {
                return shape;
            }
            long[] out = new long[shape.length + 1];
            out[0] = copies;
            System.arraycopy(shape, 0, out, 1, shape.length);
            return out;
        }
    }

    interface Op {
        Tensor apply(List<Tensor> inputs, Path path);
    }

    /** Values with a shape. */
    record Operand(float[] values, long[] shape) {
        Operand {
            assertEquals(Shapes.size(shape), values.length, "operand values do not fill " + Shapes.format(shape));
        }
    }

    private TwoPaths() {
    }

    /** True if the two floats have the same bits, or are both NaN. */
    static boolean same(float a, float b) {
        return Float.floatToRawIntBits(a) == Float.floatToRawIntBits(b) || (Float.isNaN(a) && Float.isNaN(b));
    }

    static String show(float f) {
        return Float.isNaN(f) ? "NaN" : f == 0 && 1 / f < 0 ? "-0.0" : Float.toString(f);
    }

    /**
     * Compares {@code op}'s value and, when {@code upstream} is given, the gradients of every input for that
     * upstream gradient.
     *
     * @param javaKernel whether the Java path's result must be small-backed (the op has a Java kernel)
     */
    static void check(String what, Op op, Operand upstream, boolean javaKernel, Operand... inputs) {
        List<Tensor> small = new ArrayList<>();
        int rank = 0;
        for (Operand in : inputs) {
            Tensor s = Tensor.of(in.values(), in.shape().clone()).requiresGrad(upstream != null);
            assertTrue(!Kernels.JAVA || s.isSmallBacked(), what + ": a Java-path input must be small-backed");
            small.add(s);
            rank = Math.max(rank, in.shape().length);
        }
        Tensor outSmall = op.apply(small, new Path(false, 1));
        // enough copies that the smallest input and the output (after a reduction, the smallest tensor) are large
        long smallest = outSmall.size();
        for (Operand in : inputs) {
            smallest = Math.min(smallest, in.values().length);
        }
        int copies = (int) (Kernels.READ_LIMIT / Math.max(smallest, 1) + 1);
        List<Tensor> large = new ArrayList<>();
        for (Operand in : inputs) {
            Tensor l = Tensor.of(stacked(in, rank, copies)).requiresGrad(upstream != null);
            assertFalse(Kernels.fits(l), what + ": an ND4J-path input must not fit the Java loops");
            large.add(l);
        }
        Tensor outLarge = op.apply(large, new Path(true, copies));
        if (javaKernel) {
            assertTrue(!Kernels.JAVA || outSmall.isSmallBacked(), what + ": the Java path did not run a Java kernel");
        }
        assertFalse(outLarge.isSmallBacked(), what + ": the ND4J path ran a Java kernel");
        assertSame(what + " value", outSmall, outLarge, copies, inputs);
        if (upstream == null) {
            return;
        }
        assertArrayEquals(upstream.shape(), outSmall.shape(), what + ": upstream gradient shape");
        outSmall.backward(Tensor.of(upstream.values(), upstream.shape().clone()), false, false);
        outLarge.backward(Tensor.of(stacked(upstream, upstream.shape().length, copies)), false, false);
        for (int i = 0; i < inputs.length; i++) {
            assertNotNull(small.get(i).grad(), what + ": no gradient for input " + i + " on the Java path");
            assertNotNull(large.get(i).grad(), what + ": no gradient for input " + i + " on the ND4J path");
            assertSame(what + " gradient of input " + i, small.get(i).grad(), large.get(i).grad(), copies, inputs);
        }
    }

    /** The operand repeated {@code copies} times along a new leading axis, its shape padded to {@code rank}. */
    static INDArray stacked(Operand in, int rank, int copies) {
        long[] shape = new long[rank + 1];
        Arrays.fill(shape, 1);
        shape[0] = copies;
        System.arraycopy(in.shape(), 0, shape, rank + 1 - in.shape().length, in.shape().length);
        float[] all = new float[in.values().length * copies];
        for (int c = 0; c < copies; c++) {
            System.arraycopy(in.values(), 0, all, c * in.values().length, in.values().length);
        }
        return Nd4j.create(all, shape, 'c');
    }

    private static void assertSame(String what, Tensor small, Tensor large, int copies, Operand... inputs) {
        float[] s = small.toFloatArray();
        float[] l = large.toFloatArray();
        assertEquals((long) s.length * copies, l.length, what + ": sizes " + Shapes.format(small.shape()) + " and "
                + Shapes.format(large.shape()));
        for (int c = 0; c < copies; c++) {
            for (int i = 0; i < s.length; i++) {
                if (!same(s[i], l[c * s.length + i])) {
                    throw new AssertionError(what + " at " + i + " (copy " + c + "): Java " + show(s[i]) + ", ND4J "
                            + show(l[c * s.length + i]) + inputsAt(i, small.shape(), inputs));
                }
            }
        }
    }

    /** The inputs' values at output index {@code i}, when every input has the output's size. */
    private static String inputsAt(int i, long[] outShape, Operand... inputs) {
        StringBuilder sb = new StringBuilder();
        for (Operand in : inputs) {
            if (in.values().length == Shapes.size(outShape)) {
                sb.append(sb.length() == 0 ? "; inputs " : ", ").append(show(in.values()[i]));
            }
        }
        return sb.toString();
    }
}
