package org.grad4j.data;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;
import org.grad4j.core.internal.NativeDefaults;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads a CSV file with a header line into a {@link Table}: the feature columns as float32 {@code [N, d]} and
 * one label column as {@code [N]}.
 *
 * <pre>{@code
 * Table t = Csv.read(Path.of("iris.csv")).label("species").load();          // every other column is a feature
 * Table u = Csv.read(path).columns("age", "income").label("bought").load(); // or the ones named
 * Dataset d = Csv.read(Path.of("iris.csv")).label("species").oneHot().toDataset(); // x [4], y one-hot [3]
 * }</pre>
 *
 * <p>The label column holds class names or numbers. Class names become ids 0..k-1 in sorted order (as
 * scikit-learn's {@code LabelEncoder} does), listed in {@link Table#classNames()}; a column whose every cell is
 * a number is kept as numbers. Every feature cell must be a number. Nothing is returned from a half-read file:
 * a missing column, a cell that is not a number or a row with the wrong number of fields stops the read with
 * the file, line and column named. Lines are counted from 1 with the header as line 1 (a quoted field that
 * spans lines counts once).
 */
public final class Csv {
    static {
        NativeDefaults.apply();   // loading data is often a program's first use of ND4J
    }


    private final Path file;
    private List<String> columns;
    private String label;
    private LabelMode labelMode = LabelMode.INT;

    private Csv(Path file) {
        this.file = file;
    }

    /** Starts reading {@code file}; nothing is read until {@link #load()}. */
    public static Csv read(Path file) {
        return new Csv(file);
    }

    /** The feature columns, in this order (default: every column but the label, in the file's order). */
    public Csv columns(String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("Csv " + file + ": columns(...) needs at least one name");
        }
        this.columns = List.of(names);
        return this;
    }

    /** The label column (default: none; the table's labels are then empty, shape {@code [0]}). */
    public Csv label(String name) {
        this.label = name;
        return this;
    }

    /** How {@link #toDataset()} gives the labels: class ids (default) or one-hot. */
    public Csv labelMode(LabelMode mode) {
        if (mode == null) {
            throw new IllegalArgumentException("Csv " + file + ": labelMode must not be null");
        }
        this.labelMode = mode;
        return this;
    }

    /** One-hot labels {@code [k]} from {@link #toDataset()}: {@code labelMode(LabelMode.CATEGORICAL)}. */
    public Csv oneHot() {
        return labelMode(LabelMode.CATEGORICAL);
    }

    /**
     * Reads the whole file, then gives its rows as a {@link Dataset}: x {@code [d]} float32, y the class id (a
     * scalar) or, after {@link #oneHot()}, one-hot {@code [k]}. A file with any bad cell gives no dataset.
     *
     * @throws DatasetException naming the file, and the line and column where there is one
     */
    public Dataset toDataset() {
        Table table = load();
        try {
            return table.toDataset(labelMode);
        } catch (DatasetException e) {
            throw new DatasetException("CSV file " + file + ", label column '" + label + "': " + e.getMessage(), e);
        }
    }

    /**
     * Reads the file.
     *
     * @throws DatasetException naming the file, and the line and column where there is one
     */
    public Table load() {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true)
                .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)   // a repeated name would make columns ambiguous
                .build();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = format.parse(reader)) {
            List<String> header = parser.getHeaderNames();
            Map<String, Integer> index = parser.getHeaderMap();
            if (label != null && !index.containsKey(label)) {
                throw missingColumn("label column", label, header);
            }
            List<String> features = columns != null ? columns
                    : header.stream().filter(h -> !h.equals(label)).toList();
            for (String name : features) {
                if (!index.containsKey(name)) {
                    throw missingColumn("column", name, header);
                }
            }
            if (features.isEmpty()) {
                throw new DatasetException("CSV file " + file + ": no feature columns; the header has only " + header);
            }
            int d = features.size();
            int[] featureIndex = features.stream().mapToInt(index::get).toArray();
            List<float[]> rows = new ArrayList<>();
            List<String> labelCells = new ArrayList<>();
            List<Long> labelLines = new ArrayList<>();
            for (CSVRecord record : parser) {
                long line = record.getRecordNumber() + 1;
                if (record.size() != header.size()) {
                    throw raggedRow(line, record.size(), header);
                }
                float[] row = new float[d];
                for (int c = 0; c < d; c++) {
                    row[c] = number(record.get(featureIndex[c]), line, features.get(c), featureIndex[c]);
                }
                rows.add(row);
                if (label != null) {
                    labelCells.add(record.get(label));
                    labelLines.add(line);
                }
            }
            float[] x = new float[rows.size() * d];
            for (int r = 0; r < rows.size(); r++) {
                System.arraycopy(rows.get(r), 0, x, r * d, d);
            }
            float[] y = new float[labelCells.size()];
            List<String> classes = labelValues(labelCells, labelLines, y, index);
            return new Table(Nd4j.create(x, new long[] {rows.size(), d}, DataType.FLOAT),
                    Nd4j.create(y, new long[] {y.length}, DataType.FLOAT), features, classes);
        } catch (NoSuchFileException e) {
            throw new DatasetException("CSV file " + file + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("CSV file " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // commons-csv reports duplicate or empty header names and malformed quoting this way
            throw new DatasetException("CSV file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Fills {@code y}: numbers as they are when every cell is one, else class ids in sorted order of names. */
    private List<String> labelValues(List<String> cells, List<Long> lines, float[] y, Map<String, Integer> index) {
        boolean numeric = !cells.isEmpty();
        for (String cell : cells) {
            if (parseOrNull(cell) == null) {
                numeric = false;
                break;
            }
        }
        if (numeric) {
            for (int i = 0; i < y.length; i++) {
                y[i] = parseOrNull(cells.get(i));
            }
            return List.of();
        }
        TreeSet<String> names = new TreeSet<>(cells);
        for (int i = 0; i < cells.size(); i++) {
            if (cells.get(i).isEmpty()) {
                throw new DatasetException("CSV file " + file + " line " + lines.get(i) + ", column '" + label
                        + "' (" + (index.get(label) + 1) + "): the label is empty");
            }
        }
        List<String> classes = List.copyOf(names);
        Map<String, Integer> ids = new java.util.HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            ids.put(classes.get(i), i);
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = ids.get(cells.get(i));
        }
        return classes;
    }

    private float number(String cell, long line, String column, int position) {
        Float value = parseOrNull(cell);
        if (value == null) {
            throw new DatasetException("CSV file " + file + " line " + line + ", column '" + column + "' ("
                    + (position + 1) + "): " + (cell.isEmpty() ? "the cell is empty" : "'" + cell + "' is not a number"));
        }
        return value;
    }

    private static Float parseOrNull(String cell) {
        if (cell.isEmpty()) {
            return null;
        }
        try {
            return Float.parseFloat(cell);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private DatasetException raggedRow(long line, int fields, List<String> header) {
        String where = fields < header.size()
                ? "column '" + header.get(fields) + "' (" + (fields + 1) + ") and later are missing"
                : "column " + (header.size() + 1) + " and later have no name in the header";
        return new DatasetException("CSV file " + file + " line " + line + ": " + fields + " fields, the header has "
                + header.size() + " " + header + "; " + where);
    }

    private DatasetException missingColumn(String what, String name, List<String> header) {
        return new DatasetException("CSV file " + file + " has no " + what + " '" + name + "'; its columns are "
                + header);
    }

    @Override
    public String toString() {
        return "Csv[" + file + ", columns " + (columns == null ? "all" : Arrays.toString(columns.toArray()))
                + ", label " + label + ", " + labelMode + "]";
    }
}
