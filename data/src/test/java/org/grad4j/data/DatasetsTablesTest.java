package org.grad4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The bundled classic tables: shapes, class counts and a known first row, as scikit-learn loads them. */
class DatasetsTablesTest {

    private static int count(INDArray labels, int id) {
        return labels.eq(id).castTo(DataType.INT).sumNumber().intValue();
    }

    private static float[] row(Table t, int r) {
        return t.features().getRow(r).toFloatVector();
    }

    @Test
    void iris() {
        Table t = Datasets.iris();
        assertArrayEquals(new long[] {150, 4}, t.features().shape());
        assertArrayEquals(new long[] {150}, t.labels().shape());
        assertEquals(DataType.FLOAT, t.features().dataType());
        assertEquals(List.of("setosa", "versicolor", "virginica"), t.classNames());
        assertEquals(List.of("sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"),
                t.featureNames());
        for (int c = 0; c < 3; c++) {
            assertEquals(50, count(t.labels(), c));
        }
        assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 0.2f}, row(t, 0));
        assertArrayEquals(new float[] {5.9f, 3.0f, 5.1f, 1.8f}, row(t, 149));
        assertEquals(2f, t.labels().getFloat(149));
    }

    @Test
    void breastCancer() {
        Table t = Datasets.breastCancer();
        assertArrayEquals(new long[] {569, 30}, t.features().shape());
        assertEquals(List.of("malignant", "benign"), t.classNames());
        assertEquals(212, count(t.labels(), 0));
        assertEquals(357, count(t.labels(), 1));
        assertEquals(30, t.featureNames().size());
        assertEquals("mean radius", t.featureNames().get(0));
        assertEquals("radius error", t.featureNames().get(10));
        assertEquals("worst fractal dimension", t.featureNames().get(29));
        float[] first = row(t, 0);
        assertEquals(17.99f, first[0]);
        assertEquals(10.38f, first[1]);
        assertEquals(1001f, first[3]);
        assertEquals(0.1189f, first[29]);
        assertEquals(0f, t.labels().getFloat(0));
    }

    @Test
    void digits() {
        Table t = Datasets.digits();
        assertArrayEquals(new long[] {1797, 64}, t.features().shape());
        assertEquals(1797, t.size());
        assertEquals(10, t.classNames().size());
        assertEquals("pixel_7_7", t.featureNames().get(63));
        int total = 0;
        for (int c = 0; c < 10; c++) {
            int n = count(t.labels(), c);
            assertEquals(true, n >= 174 && n <= 183, "class " + c + " has " + n);
            total += n;
        }
        assertEquals(1797, total);
        float[] first = row(t, 0);
        assertArrayEquals(new float[] {0, 0, 5, 13, 9, 1, 0, 0}, java.util.Arrays.copyOf(first, 8));
        assertEquals(0f, t.labels().getFloat(0));
        assertEquals(16f, t.features().maxNumber().floatValue());
    }
}
