package org.grad4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {

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

    private String refused(Csv csv) {
        return assertThrows(DatasetException.class, csv::load).getMessage();
    }

    @Test
    void labelColumnOfClassNamesBecomesSortedIds() throws IOException {
        Table t = Csv.read(write("iris.csv", IRIS)).label("species").load();
        assertArrayEquals(new long[] {4, 4}, t.features().shape());
        assertEquals(List.of("sepal_length", "sepal_width", "petal_length", "petal_width"), t.featureNames());
        assertEquals(List.of("setosa", "versicolor", "virginica"), t.classNames());
        assertArrayEquals(new float[] {0, 1, 2, 0}, t.labels().toFloatVector());
        assertArrayEquals(new float[] {7.0f, 3.2f, 4.7f, 1.4f}, t.features().getRow(1).toFloatVector());
    }

    @Test
    void selectedColumnsInTheGivenOrderAndNumericLabels() throws IOException {
        Path file = write("houses.csv", "rooms,area,price\n3,70.5,210000\n\n4, 92 ,315000.5\n");
        Table t = Csv.read(file).columns("area", "rooms").label("price").load();
        assertEquals(List.of("area", "rooms"), t.featureNames());
        assertArrayEquals(new float[] {70.5f, 3, 92, 4}, t.features().reshape(4).toFloatVector());
        assertArrayEquals(new float[] {210000f, 315000.5f}, t.labels().toFloatVector());
        assertEquals(List.of(), t.classNames());

        Table quoted = Csv.read(write("q.csv", "\"a\",\"b, c\"\n\"1\",\"2\"\n")).load();
        assertEquals(List.of("a", "b, c"), quoted.featureNames());
        assertArrayEquals(new long[] {0}, quoted.labels().shape());
    }

    @Test
    void missingColumnIsNamedWithTheKnownOnes() throws IOException {
        Path file = write("iris.csv", IRIS);
        String label = refused(Csv.read(file).label("specis"));
        assertTrue(label.contains(file.toString()) && label.contains("no label column 'specis'"), label);
        assertTrue(label.contains("[sepal_length, sepal_width, petal_length, petal_width, species]"), label);
        String column = refused(Csv.read(file).columns("sepal_length", "petal").label("species"));
        assertTrue(column.contains("no column 'petal'"), column);
    }

    @Test
    void nonNumericCellNamesFileLineAndColumn() throws IOException {
        Path file = write("bad.csv", IRIS.replace("6.3,3.3", "6.3,n/a"));
        String m = refused(Csv.read(file).label("species"));
        assertTrue(m.contains(file.toString()) && m.contains("line 4, column 'sepal_width' (2): 'n/a' is not a number"), m);
        String empty = refused(Csv.read(write("empty.csv", IRIS.replace("4.9,3.0", "4.9,"))).label("species"));
        assertTrue(empty.contains("line 5, column 'sepal_width' (2): the cell is empty"), empty);
    }

    @Test
    void raggedRowIsNamedByLine() throws IOException {
        Path file = write("ragged.csv", IRIS.replace("7.0,3.2,4.7,1.4,versicolor", "7.0,3.2,versicolor"));
        String m = refused(Csv.read(file).label("species"));
        assertTrue(m.contains(file.toString()) && m.contains("line 3: 3 fields, the header has 5"), m);
    }

    @Test
    void missingFileAndBrokenHeaderAreNamed() throws IOException {
        String missing = refused(Csv.read(dir.resolve("none.csv")));
        assertTrue(missing.contains("none.csv does not exist"), missing);
        String duplicate = refused(Csv.read(write("dup.csv", "a,a\n1,2\n")));
        assertTrue(duplicate.contains("dup.csv") && duplicate.toLowerCase().contains("duplicate"), duplicate);
    }

    @Test
    void readsTheBundledIrisLayoutAfterConversion() throws IOException {
        // a CSV written from Datasets.iris() reads back the same numbers
        Table iris = Datasets.iris();
        StringBuilder csv = new StringBuilder("a,b,c,d,species\n");
        for (int r = 0; r < iris.size(); r++) {
            float[] row = iris.features().getRow(r).toFloatVector();
            csv.append(row[0]).append(',').append(row[1]).append(',').append(row[2]).append(',').append(row[3])
                    .append(',').append(iris.classNames().get((int) iris.labels().getFloat(r))).append('\n');
        }
        Table back = Csv.read(write("iris-full.csv", csv.toString())).label("species").load();
        assertEquals(iris.features(), back.features());
        assertEquals(iris.labels(), back.labels());
        assertEquals(iris.classNames(), back.classNames());
    }
}
