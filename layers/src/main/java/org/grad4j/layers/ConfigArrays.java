package org.grad4j.layers;

import java.util.ArrayList;
import java.util.List;
import org.grad4j.core.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Arrays in configs as Keras writes them with NumPy's {@code tolist()}: a number for a rank-0 array, nested
 * lists otherwise, row-major. Values are read and written as float64.
 */
final class ConfigArrays {
    private ConfigArrays() {
    }

    /** {@code 3.0}, {@code [1.0, 2.0]} or {@code [[1.0], [2.0]]}. */
    static Object toNested(INDArray array) {
        double[] values = array.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        if (array.rank() == 0) {
            return values[0];
        }
        return nested(values, array.shape(), 0, new int[] {0});
    }

    private static List<Object> nested(double[] values, long[] shape, int axis, int[] next) {
        List<Object> out = new ArrayList<>();
        for (long i = 0; i < shape[axis]; i++) {
            out.add(axis == shape.length - 1 ? (Object) values[next[0]++] : nested(values, shape, axis + 1, next));
        }
        return out;
    }

    /** Reads {@link #toNested}'s form (a number or rectangular nested lists of numbers) as a float64 array. */
    static INDArray fromNested(Object value, String owner, String key) {
        if (value instanceof Number n) {
            return Nd4j.scalar(n.doubleValue());
        }
        List<Long> shape = new ArrayList<>();
        for (Object level = value; level instanceof List<?> list; level = list.isEmpty() ? null : list.get(0)) {
            shape.add((long) list.size());
        }
        if (shape.isEmpty()) {
            throw new IllegalArgumentException(owner + ": \"" + key + "\" must be a number or a list of numbers, got " + value);
        }
        long[] dims = shape.stream().mapToLong(Long::longValue).toArray();
        double[] values = new double[Math.toIntExact(Shapes.size(dims))];
        int[] next = {0};
        collect(value, dims, 0, values, next, owner, key);
        return Nd4j.create(values, dims, 'c');
    }

    private static void collect(Object value, long[] dims, int axis, double[] out, int[] next, String owner, String key) {
        if (!(value instanceof List<?> list) || list.size() != dims[axis]) {
            throw new IllegalArgumentException(owner + ": \"" + key + "\" must be rectangular nested lists of shape "
                    + Shapes.format(dims) + ", got " + value + " at depth " + axis);
        }
        for (Object item : list) {
            if (axis == dims.length - 1) {
                if (!(item instanceof Number n)) {
                    throw new IllegalArgumentException(owner + ": \"" + key + "\" must hold numbers, got " + item);
                }
                out[next[0]++] = n.doubleValue();
            } else {
                collect(item, dims, axis + 1, out, next, owner, key);
            }
        }
    }
}
