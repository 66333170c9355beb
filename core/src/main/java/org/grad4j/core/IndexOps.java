package org.grad4j.core;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Rows picked by integer ids (an embedding lookup) and its adjoint, rows added back at their ids; each is the
 * other's gradient. Ids are read once into Java, checked, and shared by both directions.
 */
final class IndexOps {
    private IndexOps() {
    }

    /**
     * {@code table[ids]} along axis 0: shape {@code ids.shape + table.shape[1:]}. The gradient for the table
     * adds the incoming rows of every occurrence of an id; ids get none.
     */
    static Tensor take(Tensor table, Tensor ids) {
        if (table.rank() < 1) {
            throw new IllegalArgumentException("take: the table must have rank >= 1, got shape " + Shapes.format(table.shape()));
        }
        DataType type = ids.dataType();
        if (!type.isIntType()) {
            throw new IllegalArgumentException("take: ids must be an integer tensor (INT32), got " + type + " "
                    + Shapes.format(ids.shape()));
        }
        long rows = table.shape()[0];
        int[] index = ids.size() == 0 ? new int[0] : ids.array().castTo(DataType.INT32).reshape('c', new long[] {ids.size()}).toIntVector();
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= rows) {
                throw new IllegalArgumentException("take: id " + index[i] + " at flat position " + i + " of ids "
                        + Shapes.format(ids.shape()) + " is outside [0, " + rows + ") (table " + Shapes.format(table.shape()) + ")");
            }
        }
        long[] rowShape = Arrays.copyOfRange(table.shape(), 1, table.rank());
        long[] outShape = new long[ids.rank() + rowShape.length];
        System.arraycopy(ids.shape(), 0, outShape, 0, ids.rank());
        System.arraycopy(rowShape, 0, outShape, ids.rank(), rowShape.length);
        return gatherRows(table, index, outShape);
    }

    /** Rows {@code index} of {@code table} (rows along axis 0), shaped {@code outShape}; the gradient scatters back. */
    static Tensor gatherRows(Tensor table, int[] index, long[] outShape) {
        long[] tableShape = table.shape();
        long width = tableShape[0] == 0 ? 0 : table.size() / tableShape[0];
        Tensor out = Kernels.gatherRows(Kernels.reshape(table, new long[] {tableShape[0], width}), index, width);
        Tensor result = Kernels.reshape(out, outShape);
        return Graph.record(result, "Take", table, g -> scatterAddRows(g, index, tableShape));
    }

    /** Rows of {@code g} ({@code [index.length, ...]} flattened) added into zeros of {@code tableShape} at their ids. */
    static Tensor scatterAddRows(Tensor g, int[] index, long[] tableShape) {
        long width = tableShape[0] == 0 ? 0 : Shapes.size(tableShape) / tableShape[0];
        Tensor out = Kernels.scatterAddRows(Kernels.reshape(g, new long[] {index.length, width}), index, tableShape[0], width);
        long[] gShape = g.shape();
        Tensor result = Kernels.reshape(out, tableShape);
        return Graph.record(result, "ScatterAddRows", g, gg -> gatherRows(gg, index, gShape));
    }
}
