package org.grad4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.grad4j.core.Shapes;
import org.grad4j.core.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A list of arrays as plain Java arrays, in a fixed order (a model's variables, its gradients, its optimizer
 * state), that Spark ships between the driver and the workers and that the driver sums and averages. Floating
 * arrays keep their type (float32 stays 4 bytes a value on the wire); integer state such as the optimizer's
 * iteration counter is kept as {@code long}s and rounded when scaled. A null entry stands for "no gradient".
 */
final class ArrayValues implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long[][] shapes;
    private final DataType[] types;
    /** Each entry a float[], double[] or long[] in row-major order, or null. */
    private final Object[] data;

    private ArrayValues(long[][] shapes, DataType[] types, Object[] data) {
        this.shapes = shapes;
        this.types = types;
        this.data = data;
    }

    /** The current values of {@code variables}. */
    static ArrayValues ofVariables(List<? extends Variable> variables) {
        return of(variables.stream().map(Variable::array).toList(), 1.0);
    }

    /** Copies of {@code arrays} multiplied by {@code scale}; a null array stays null. */
    static ArrayValues of(List<? extends INDArray> arrays, double scale) {
        int n = arrays.size();
        long[][] shapes = new long[n][];
        DataType[] types = new DataType[n];
        Object[] data = new Object[n];
        for (int i = 0; i < n; i++) {
            INDArray a = arrays.get(i);
            if (a == null) {
                continue;
            }
            shapes[i] = a.shape().clone();
            types[i] = a.dataType();
            data[i] = copy(a, scale, i);
        }
        return new ArrayValues(shapes, types, data);
    }

    private static Object copy(INDArray a, double scale, int index) {
        INDArray flat = Nd4j.toFlattened('c', a);
        DataType type = a.dataType();
        Object out;
        if (type == DataType.FLOAT) {
            float[] v = flat.length() == 0 ? new float[0] : flat.toFloatVector();
            if (scale != 1.0) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (v[i] * scale);
                }
            }
            out = v;
        } else if (type == DataType.DOUBLE) {
            double[] v = flat.length() == 0 ? new double[0] : flat.toDoubleVector();
            if (scale != 1.0) {
                for (int i = 0; i < v.length; i++) {
                    v[i] *= scale;
                }
            }
            out = v;
        } else if (type.isIntType()) {
            long[] v = flat.length() == 0 ? new long[0] : flat.toLongVector();
            if (scale != 1.0) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = Math.round(v[i] * scale);
                }
            }
            out = v;
        } else {
            throw new IllegalArgumentException("SparkTrainer: array " + index + " of shape " + Shapes.format(a.shape())
                    + " is " + type + "; only float32, float64 and integer arrays can be shipped between driver and workers");
        }
        if (flat.closeable()) {
            flat.close();
        }
        return out;
    }

    int size() {
        return data.length;
    }

    /** Bytes of values carried, for the benchmark's communication figures. */
    long valueBytes() {
        long bytes = 0;
        for (Object d : data) {
            if (d instanceof float[] f) {
                bytes += 4L * f.length;
            } else if (d instanceof double[] v) {
                bytes += 8L * v.length;
            } else if (d instanceof long[] l) {
                bytes += 8L * l.length;
            }
        }
        return bytes;
    }

    /** Adds {@code other} element-wise into this (same layout); a null entry on either side takes the other's. */
    ArrayValues addInPlace(ArrayValues other) {
        if (other.data.length != data.length) {
            throw new IllegalStateException("ArrayValues: cannot add " + other.data.length + " arrays to " + data.length);
        }
        for (int i = 0; i < data.length; i++) {
            Object b = other.data[i];
            if (b == null) {
                continue;
            }
            if (data[i] == null) {
                data[i] = cloneData(b);
                shapes[i] = other.shapes[i];
                types[i] = other.types[i];
            } else if (data[i] instanceof float[] x && b instanceof float[] y && x.length == y.length) {
                for (int j = 0; j < x.length; j++) {
                    x[j] += y[j];
                }
            } else if (data[i] instanceof double[] x && b instanceof double[] y && x.length == y.length) {
                for (int j = 0; j < x.length; j++) {
                    x[j] += y[j];
                }
            } else if (data[i] instanceof long[] x && b instanceof long[] y && x.length == y.length) {
                for (int j = 0; j < x.length; j++) {
                    x[j] += y[j];
                }
            } else {
                throw new IllegalStateException("ArrayValues: array " + i + " is " + Shapes.format(shapes[i]) + " " + types[i]
                        + " on one side and " + Shapes.format(other.shapes[i]) + " " + other.types[i] + " on the other");
            }
        }
        return this;
    }

    /** Subtracts {@code other} element-wise from this (same layout, no null entries): what changed since it. */
    ArrayValues subtractInPlace(ArrayValues other) {
        return addInPlace(other.copy().scaleInPlace(-1));
    }

    ArrayValues copy() {
        Object[] d = new Object[data.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = data[i] == null ? null : cloneData(data[i]);
        }
        return new ArrayValues(shapes.clone(), types.clone(), d);
    }

    private static Object cloneData(Object d) {
        if (d instanceof float[] f) {
            return f.clone();
        }
        if (d instanceof double[] v) {
            return v.clone();
        }
        return ((long[]) d).clone();
    }

    /** Multiplies every value by {@code factor} in place; integers are rounded to the nearest. */
    ArrayValues scaleInPlace(double factor) {
        for (Object d : data) {
            if (d instanceof float[] f) {
                for (int j = 0; j < f.length; j++) {
                    f[j] = (float) (f[j] * factor);
                }
            } else if (d instanceof double[] v) {
                for (int j = 0; j < v.length; j++) {
                    v[j] *= factor;
                }
            } else if (d instanceof long[] l) {
                for (int j = 0; j < l.length; j++) {
                    l[j] = Math.round(l[j] * factor);
                }
            }
        }
        return this;
    }

    /** New ND4J arrays holding the values (null where there is none). */
    List<INDArray> toArrays() {
        List<INDArray> out = new ArrayList<>(data.length);
        for (int i = 0; i < data.length; i++) {
            out.add(data[i] == null ? null : toArray(i));
        }
        return out;
    }

    private INDArray toArray(int i) {
        INDArray flat;
        if (data[i] instanceof float[] f) {
            flat = Nd4j.createFromArray(f);
        } else if (data[i] instanceof double[] v) {
            flat = Nd4j.createFromArray(v);
        } else {
            flat = Nd4j.createFromArray((long[]) data[i]);
        }
        if (flat.dataType() != types[i]) {
            flat = flat.castTo(types[i]);
        }
        return shapes[i].length == 0 ? flat.reshape('c') : flat.reshape('c', shapes[i]);
    }

    /**
     * Assigns each value to the variable at its position. Counts and shapes are checked first, so a mismatch
     * (the workers' model is not the driver's) changes nothing.
     */
    void assignTo(List<? extends Variable> variables, String where) {
        if (variables.size() != data.length) {
            throw new IllegalStateException(where + ": " + data.length + " arrays for " + variables.size() + " variables");
        }
        for (int i = 0; i < data.length; i++) {
            if (data[i] != null && !Arrays.equals(variables.get(i).shape(), shapes[i])) {
                throw new IllegalStateException(where + ": array " + i + " has shape " + Shapes.format(shapes[i])
                        + " but variable " + variables.get(i).name() + " has shape " + Shapes.format(variables.get(i).shape()));
            }
        }
        for (int i = 0; i < data.length; i++) {
            if (data[i] != null) {
                INDArray value = toArray(i);
                variables.get(i).assign(value);
                if (value.closeable()) {
                    value.close();
                }
            }
        }
    }
}
