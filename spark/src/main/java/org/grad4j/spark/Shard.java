package org.grad4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.grad4j.core.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * All rows of one partition, stacked once before training into {@code x [n, ...]} and {@code y [n, ...]} in the
 * model's floating type, so that a step gathers its rows from two arrays instead of walking many small DataSets.
 * A partition with no rows has null arrays.
 */
final class Shard implements Serializable {
    private static final long serialVersionUID = 1L;

    final int partition;
    final INDArray x;
    final INDArray y;

    private Shard(int partition, INDArray x, INDArray y) {
        this.partition = partition;
        this.x = x;
        this.y = y;
    }

    long size() {
        return x == null ? 0 : x.size(0);
    }

    /** The first {@code n} rows (fewer if the shard is smaller), for the driver's checks before training. */
    Shard head(int n) {
        if (x == null) {
            return this;
        }
        int[] rows = new int[(int) Math.min(n, size())];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        return new Shard(partition, gather(x, rows), gather(y, rows));
    }

    /** Rows {@code rows} of x and y, new arrays. */
    INDArray[] rows(int[] rows) {
        return new INDArray[] {gather(x, rows), gather(y, rows)};
    }

    ShardInfo info() {
        return new ShardInfo(partition, size(), x == null ? null : x.shape(), y == null ? null : y.shape());
    }

    /** A partition's rows, counted and shaped, for the driver's checks across partitions. */
    record ShardInfo(int partition, long count, long[] xShape, long[] yShape) implements Serializable {
    }

    private static INDArray gather(INDArray a, int[] rows) {
        long n = a.size(0);
        long width = n == 0 ? 0 : a.length() / n;
        INDArray flat = a.rank() == 2 ? a : a.reshape('c', n, width);
        long[] shape = a.shape().clone();
        shape[0] = rows.length;
        if (rows.length == 0) {
            return Nd4j.create(a.dataType(), shape);
        }
        INDArray pulled = Nd4j.pullRows(flat, 1, rows);
        return a.rank() == 2 ? pulled : pulled.reshape('c', shape);
    }

    // ---------------------------------------------------------------- building

    /** The DataSets of partition {@code partition} stacked; masks are refused, as the models module has none to apply. */
    static Iterator<Shard> fromDataSets(int partition, Iterator<DataSet> dataSets, DataType type) {
        List<INDArray> xs = new ArrayList<>();
        List<INDArray> ys = new ArrayList<>();
        int index = 0;
        while (dataSets.hasNext()) {
            DataSet ds = dataSets.next();
            String where = "SparkTrainer.fit: DataSet " + index + " of partition " + partition;
            if (ds == null || ds.getFeatures() == null || ds.getLabels() == null) {
                throw new IllegalArgumentException(where + " has " + (ds == null ? "no DataSet (null)"
                        : ds.getFeatures() == null ? "no features" : "no labels"));
            }
            if (ds.getFeaturesMaskArray() != null || ds.getLabelsMaskArray() != null) {
                throw new IllegalArgumentException(where + " has a " + (ds.getFeaturesMaskArray() != null ? "features" : "labels")
                        + " mask; SparkTrainer trains on features and labels only: drop the masked samples first");
            }
            INDArray x = ds.getFeatures();
            INDArray y = ds.getLabels();
            if (x.rank() == 0 || y.rank() == 0 || x.size(0) != y.size(0)) {
                throw new IllegalArgumentException(where + " has features " + Shapes.format(x.shape()) + " and labels "
                        + Shapes.format(y.shape()) + "; both need the same number of samples along their first axis");
            }
            if (!xs.isEmpty()) {
                requireSameShape(where, "features", xs.get(0), x);
                requireSameShape(where, "labels", ys.get(0), y);
            }
            xs.add(x);
            ys.add(y);
            index++;
        }
        return List.of(stacked(partition, xs, ys, type)).iterator();
    }

    /**
     * Rows of flat features and labels, one sample each, stacked into {@code x [n, featureShape...]} and
     * {@code y [n, labelLength]}.
     */
    static Iterator<Shard> fromRows(int partition, Iterator<Tuple2<float[], float[]>> rows, long[] featureShape,
            DataType type) {
        List<float[]> xs = new ArrayList<>();
        List<float[]> ys = new ArrayList<>();
        long featureLength = 1;
        for (long d : featureShape) {
            featureLength *= d;
        }
        int index = 0;
        while (rows.hasNext()) {
            Tuple2<float[], float[]> row = rows.next();
            String where = "SparkTrainer.fitRows: row " + index + " of partition " + partition;
            if (row == null || row._1() == null || row._2() == null) {
                throw new IllegalArgumentException(where + " has " + (row == null ? "no pair (null)"
                        : row._1() == null ? "no features" : "no labels"));
            }
            if (row._1().length != featureLength) {
                throw new IllegalArgumentException(where + " has " + row._1().length + " features but the model takes "
                        + Shapes.format(featureShape) + " = " + featureLength + " per sample");
            }
            if (!ys.isEmpty() && row._2().length != ys.get(0).length) {
                throw new IllegalArgumentException(where + " has " + row._2().length + " labels but row 0 has "
                        + ys.get(0).length);
            }
            xs.add(row._1());
            ys.add(row._2());
            index++;
        }
        if (xs.isEmpty()) {
            return List.of(new Shard(partition, null, null)).iterator();
        }
        long[] xShape = new long[featureShape.length + 1];
        xShape[0] = xs.size();
        System.arraycopy(featureShape, 0, xShape, 1, featureShape.length);
        INDArray x = Nd4j.create(xs.toArray(new float[0][])).reshape('c', xShape);
        INDArray y = Nd4j.create(ys.toArray(new float[0][]));
        return List.of(new Shard(partition, cast(x, type), cast(y, type))).iterator();
    }

    private static void requireSameShape(String where, String what, INDArray first, INDArray a) {
        long[] expected = Arrays.copyOfRange(first.shape(), 1, first.rank());
        long[] got = Arrays.copyOfRange(a.shape(), 1, a.rank());
        if (!Arrays.equals(expected, got)) {
            throw new IllegalArgumentException(where + " has " + what + " " + Shapes.format(a.shape())
                    + " but the partition's first DataSet has " + Shapes.format(first.shape()) + " (per sample "
                    + Shapes.format(expected) + ")");
        }
    }

    private static Shard stacked(int partition, List<INDArray> xs, List<INDArray> ys, DataType type) {
        if (xs.isEmpty()) {
            return new Shard(partition, null, null);
        }
        INDArray x = xs.size() == 1 ? xs.get(0) : Nd4j.concat(0, xs.toArray(new INDArray[0]));
        INDArray y = ys.size() == 1 ? ys.get(0) : Nd4j.concat(0, ys.toArray(new INDArray[0]));
        return new Shard(partition, cast(x, type), cast(y, type));
    }

    /** In the model's floating type, row-major, in a buffer of its own (the user's DataSet is never written). */
    private static INDArray cast(INDArray a, DataType type) {
        INDArray out = a.dataType() == type ? a.dup('c') : a.castTo(type).dup('c');
        return out;
    }
}
