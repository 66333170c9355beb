package org.grad4j.models.saving;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.grad4j.core.MemoryBudget;
import org.grad4j.core.Shapes;
import org.grad4j.core.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * HDF5 datasets to and from ND4J arrays, checked against the variable they are for before any data is read: a
 * dataset's declared shape must be the variable's, so a crafted file cannot make the reader allocate more than
 * the model holds, and each array read is reserved in the {@link MemoryBudget} of the load.
 */
final class Hdf5Arrays {
    private Hdf5Arrays() {
    }

    /** The dataset at {@code path} under {@code group}, or null. */
    static Dataset dataset(Group group, String path) {
        Node node = child(group, path);
        return node instanceof Dataset d ? d : null;
    }

    /** The group at {@code path} under {@code group}, or null. */
    static Group group(Group group, String path) {
        Node node = child(group, path);
        return node instanceof Group g ? g : null;
    }

    private static Node child(Group group, String path) {
        Node node = group;
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (!(node instanceof Group g) || !g.getChildren().containsKey(part)) {
                return null;
            }
            node = g.getChild(part);
        }
        return node;
    }

    /** Names of a group's children, in numeric order when they are Keras' {@code 0, 1, 2...}. */
    static List<String> children(Group group) {
        List<String> names = new ArrayList<>(group.getChildren().keySet());
        names.sort((a, b) -> a.matches("\\d+") && b.matches("\\d+") ? Long.compare(Long.parseLong(a), Long.parseLong(b))
                : a.compareTo(b));
        return names;
    }

    /**
     * Reads {@code dataset} for {@code variable}: the shape must match exactly and the type be a float (or, for an
     * integer variable such as the iteration counter, an integer); {@code where} names the dataset in messages.
     */
    static INDArray read(Dataset dataset, Variable variable, String where) {
        long[] shape = dataset.isScalar() ? new long[0] : dataset.getDimensionsAsLong();
        if (!Arrays.equals(shape, variable.shape())) {
            throw new IllegalArgumentException(where + " has shape " + Shapes.format(shape) + " but " + variable.name()
                    + " is " + Shapes.format(variable.shape()));
        }
        Class<?> type = dataset.getJavaType();
        boolean floating = type == float.class || type == double.class || type == Float.class || type == Double.class;
        boolean integer = type == long.class || type == int.class || type == Long.class || type == Integer.class;
        if (variable.dataType().isFPType() ? !floating : !integer && !floating) {
            throw new IllegalArgumentException(where + " holds " + type.getSimpleName() + " values but " + variable.name()
                    + " is " + variable.dataType());
        }
        MemoryBudget.reserve(where, variable.name(), shape, variable.dataType());
        Object flat = dataset.isScalar() ? dataset.getData() : dataset.getDataFlat();
        INDArray out;
        if (flat instanceof float[] f) {
            out = Nd4j.create(f, shape, 'c');
        } else if (flat instanceof double[] d) {
            out = Nd4j.create(d, shape, 'c');
        } else if (flat instanceof long[] l) {
            out = Nd4j.createFromArray(l).reshape(shape);
        } else if (flat instanceof int[] i) {
            out = Nd4j.createFromArray(i).castTo(DataType.LONG).reshape(shape);
        } else if (flat instanceof Number n) {
            out = variable.dataType().isFPType() ? Nd4j.scalar(variable.dataType(), n.doubleValue()) : Nd4j.scalar(n.longValue());
        } else {
            throw new IllegalArgumentException(where + ": cannot read values of type " + (flat == null ? "null" : flat.getClass()));
        }
        return out.dataType() == variable.dataType() ? out : out.castTo(variable.dataType());
    }

    /** Writes {@code array} as dataset {@code name}: float32/float64 as themselves, integers as int64, rank 0 as a scalar. */
    static void write(WritableGroup group, String name, INDArray array) {
        group.putDataset(name, javaArray(array));
    }

    private static Object javaArray(INDArray array) {
        DataType type = array.dataType();
        if (array.rank() == 0) {
            return type.isFPType() ? (type == DataType.DOUBLE ? (Object) array.getDouble(0) : (Object) array.getFloat(0))
                    : (Object) array.getLong(0);
        }
        Object flat = type == DataType.DOUBLE ? array.dup('c').data().asDouble()
                : type.isFPType() ? array.castTo(DataType.FLOAT).dup('c').data().asFloat() : array.castTo(DataType.LONG).dup('c').data().asLong();
        return nest(flat, array.shape(), 0, 0);
    }

    /** A flat row-major array as the nested Java array jhdf writes ({@code float[][]} for a matrix). */
    private static Object nest(Object flat, long[] shape, int axis, int offset) {
        int n = (int) shape[axis];
        if (axis == shape.length - 1) {
            Object row = Array.newInstance(flat.getClass().getComponentType(), n);
            System.arraycopy(flat, offset, row, 0, n);
            return row;
        }
        int stride = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            stride *= (int) shape[i];
        }
        Object first = nest(flat, shape, axis + 1, offset);
        Object out = Array.newInstance(first.getClass(), n);
        Array.set(out, 0, first);
        for (int i = 1; i < n; i++) {
            Array.set(out, i, nest(flat, shape, axis + 1, offset + i * stride));
        }
        return out;
    }
}
