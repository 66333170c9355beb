package org.grad4j.data;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Test helpers: reading passes of a dataset into plain values. */
final class Passes {
    private Passes() {
    }

    /** All elements of one pass. */
    static List<Element> pass(Dataset d) {
        List<Element> out = new ArrayList<>();
        try (Dataset.Cursor c = d.iterator()) {
            while (c.hasNext()) {
                out.add(c.next());
            }
        }
        return out;
    }

    /** The first feature value of every sample in a pass (the row ids of {@link #rows(int)} data). */
    static List<Float> ids(Dataset d) {
        List<Float> out = new ArrayList<>();
        for (Element e : pass(d)) {
            INDArray x = e.x();
            if (!d.isBatched()) {
                out.add(x.reshape(-1).getFloat(0));
            } else {
                for (long r = 0; r < x.size(0); r++) {
                    out.add(x.rank() == 1 ? x.getFloat(r) : x.slice(r).reshape(-1).getFloat(0));
                }
            }
        }
        return out;
    }

    /** x [n, 2] whose row i is (i, 10 i); y [n] = i mod 3. */
    static Dataset rows(int n) {
        float[] x = new float[n * 2];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 10 * i;
            y[i] = i % 3;
        }
        return Dataset.fromArrays(Nd4j.create(x, new long[] {n, 2}, DataType.FLOAT), Nd4j.create(y, new long[] {n}, DataType.FLOAT));
    }

    static List<Float> range(int n) {
        List<Float> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add((float) i);
        }
        return out;
    }
}
