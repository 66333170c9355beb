package org.grad4j.core;

import java.util.Arrays;
import org.apache.commons.lang3.Validate;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The default float type behind {@link Tensor#defaultFloatType()} (a JVM-wide setting, as PyTorch's, with a
 * per-thread override for {@link GradientCheck}) and the factories behind {@link Tensor#of}, {@link Tensor#scalar},
 * {@link Tensor#zeros} and {@link Tensor#ones}.
 */
final class FloatTypes {
    private static volatile DataType global = DataType.FLOAT;
    /** This thread's own default while {@link GradientCheck} runs (float64), else null. */
    private static final ThreadLocal<DataType> SCOPED = new ThreadLocal<>();

    private FloatTypes() {
    }

    static DataType current() {
        DataType scoped = SCOPED.get();
        return scoped != null ? scoped : global;
    }

    static DataType setGlobal(DataType type) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("Tensor.setDefaultFloatType: FLOAT or DOUBLE, got " + type);
        }
        DataType previous = global;
        global = type;
        return previous;
    }

    /** Sets this thread's own default ({@code null}: the global one again); returns the previous own default. */
    static DataType scope(DataType type) {
        DataType previous = SCOPED.get();
        SCOPED.set(type);
        return previous;
    }

    /** {@link Tensor#of(float[], long...)}: a copy of {@code values}, float32; no shape means a vector. */
    static Tensor tensor(float[] values, long[] shape) {
        long[] s = shape.length == 0 ? new long[] {values.length} : shape;
        checkFill(values.length, s);
        return Kernels.keepsSmall(values.length) ? new Tensor(values.clone(), s.clone())
                : Tensor.of(Nd4j.create(values, s, 'c'));
    }

    /** {@link Tensor#of(double[], DataType, long...)}: {@code values} as {@code type}; no shape means a vector. */
    static Tensor tensor(double[] values, DataType type, long[] shape) {
        long[] s = shape.length == 0 ? new long[] {values.length} : shape;
        checkFill(values.length, s);
        return tensor("Tensor.of", values, type, s);
    }

    private static void checkFill(int count, long[] shape) {
        Validate.isTrue(Shapes.size(shape) == count, "Tensor.of: %d values cannot fill shape %s (%d elements)",
                count, Shapes.format(shape), Shapes.size(shape));
    }

    /** {@link Tensor#scalar(float)}. */
    static Tensor scalar(float value) {
        return Kernels.keepsSmall(1) ? new Tensor(new float[] {value}, new long[0]) : Tensor.of(Nd4j.scalar(value));
    }

    /** A tensor of {@code type} and {@code shape} with every element {@code value} (0 or 1). */
    static Tensor filled(DataType type, long[] shape, float value) {
        long n = Shapes.size(shape);
        if (type == DataType.FLOAT && Kernels.keepsSmall(n)) {
            float[] values = new float[(int) n];
            Arrays.fill(values, value);
            return new Tensor(values, shape.clone());
        }
        return Tensor.of(value == 0f ? Nd4j.zeros(type, shape) : Nd4j.ones(type, shape));
    }

    /** {@code values} (already checked to fill {@code shape}) as a tensor of {@code type}, for {@code where}. */
    static Tensor tensor(String where, double[] values, DataType type, long[] shape) {
        if (type == null || !type.isNumerical()) {
            throw new IllegalArgumentException(where + ": a numeric data type is required, got " + type);
        }
        if (type == DataType.FLOAT) {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            return Kernels.keepsSmall(f.length) ? new Tensor(f, shape.clone()) : Tensor.of(Nd4j.create(f, shape, 'c'));
        }
        INDArray a = shape.length == 0 ? Nd4j.scalar(values[0]) : Nd4j.create(values, shape, 'c');
        return Tensor.of(type == DataType.DOUBLE ? a : a.castTo(type));
    }

    /** Float32 samples given the current default type (so a seed draws the same numbers whatever it is). */
    static Tensor ofDefaultType(INDArray float32) {
        DataType type = current();
        return Tensor.of(type == DataType.FLOAT ? float32 : float32.castTo(type));
    }
}
