package org.grad4j.data;

import static org.grad4j.data.Passes.pass;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

class CsvDatasetTest {

    @TempDir
    Path dir;

    private static final String IRIS = """
            sepal_length,sepal_width,petal_length,petal_width,species
            5.1,3.5,1.4,0.2,setosa
            7.0,3.2,4.7,1.4,versicolor
            6.3,3.3,6.0,2.5,virginica
            4.9,3.0,1.4,0.2,setosa
            """;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** The message of the error toDataset() gives, checked to name the file. */
    private static String refused(Csv csv, Path file) {
        String m = assertThrows(DatasetException.class, csv::toDataset).getMessage();
        assertTrue(m.contains(file.toString()), m);
        return m;
    }

    @Test
    void rowsBecomeElementsWithClassIds() throws IOException {
        Dataset d = Csv.read(write("iris.csv", IRIS)).label("species").toDataset();
        assertEquals(4, d.cardinality());
        assertFalse(d.isBatched());
        List<Element> es = pass(d);
        assertArrayEquals(new long[] {4}, es.get(1).x().shape());
        assertEquals(DataType.FLOAT, es.get(1).x().dataType());
        assertArrayEquals(new float[] {7.0f, 3.2f, 4.7f, 1.4f}, es.get(1).x().toFloatVector());
        assertArrayEquals(new long[] {}, es.get(2).y().shape());
        assertEquals(2f, es.get(2).y().getFloat(0));
        assertNull(es.get(2).sampleWeight());
        Element batch = pass(d.batch(4)).get(0);
        assertArrayEquals(new float[] {0, 1, 2, 0}, batch.y().toFloatVector());
    }

    @Test
    void oneHotLabels() throws IOException {
        Path file = write("iris.csv", IRIS);
        List<Element> es = pass(Csv.read(file).label("species").oneHot().toDataset());
        assertArrayEquals(new long[] {3}, es.get(0).y().shape());
        assertArrayEquals(new float[] {0, 0, 1}, es.get(2).y().toFloatVector());
        assertArrayEquals(new float[] {1, 0, 0}, es.get(3).y().toFloatVector());
        assertEquals(pass(Csv.read(file).label("species").labelMode(LabelMode.CATEGORICAL).toDataset()).get(1).y(), es.get(1).y());

        Path numeric = write("n.csv", "a,cls\n1,2\n2,0\n");
        List<Element> ns = pass(Csv.read(numeric).label("cls").oneHot().toDataset());
        assertArrayEquals(new float[] {0, 0, 1}, ns.get(0).y().toFloatVector());
        assertArrayEquals(new float[] {1, 0, 0}, ns.get(1).y().toFloatVector());

        Path fractional = write("f.csv", "a,price\n1,2.5\n");
        String m = refused(Csv.read(fractional).label("price").oneHot(), fractional);
        assertTrue(m.contains("label 2.5 of row 0") && m.contains("not a class id"), m);
        Path unlabelled = write("u.csv", "a,b\n1,2\n");
        assertTrue(refused(Csv.read(unlabelled).oneHot(), unlabelled).contains("no label column"));
        assertNull(pass(Csv.read(unlabelled).toDataset()).get(0).y(), "no label column: elements without y");
    }

    @Test
    void aMissingColumnGivesNoDataset() throws IOException {
        Path file = write("iris.csv", IRIS);
        String m = refused(Csv.read(file).columns("sepal_length", "petal").label("species"), file);
        assertTrue(m.contains("no column 'petal'") && m.contains("species]"), m);
        String l = refused(Csv.read(file).label("specis"), file);
        assertTrue(l.contains("no label column 'specis'"), l);
    }

    @Test
    void aNonNumericCellGivesNoDatasetAndNamesLineAndColumn() throws IOException {
        Path file = write("bad.csv", IRIS.replace("4.9,3.0,1.4", "4.9,3.0,abc"));
        String m = refused(Csv.read(file).label("species").oneHot(), file);
        assertTrue(m.contains("line 5, column 'petal_length' (3): 'abc' is not a number"), m);
    }

    @Test
    void aRaggedRowGivesNoDatasetAndNamesLineAndColumn() throws IOException {
        Path shortRow = write("short.csv", IRIS.replace("7.0,3.2,4.7,1.4,versicolor", "7.0,3.2,versicolor"));
        String m = refused(Csv.read(shortRow).label("species"), shortRow);
        assertTrue(m.contains("line 3: 3 fields, the header has 5") && m.contains("column 'petal_width' (4) and later are missing"), m);
        Path longRow = write("long.csv", IRIS.replace("6.3,3.3,6.0,2.5,virginica", "6.3,3.3,6.0,2.5,virginica,9"));
        String l = refused(Csv.read(longRow).label("species"), longRow);
        assertTrue(l.contains("line 4: 6 fields") && l.contains("column 6 and later have no name"), l);
    }
}
