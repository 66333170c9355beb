package org.grad4j.models.callbacks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Keras' {@code CSVLogger}: streams one row per epoch to a CSV file, {@code epoch} (from 0) then the log
 * entries in sorted order, each value as Python prints it; an entry missing from an epoch (the {@code val_}
 * ones between validation epochs) is written {@code NA}.
 *
 * <pre>
 * epoch,learning_rate,loss,val_loss
 * 0,0.01,0.8123,NA
 * 1,0.01,0.4012,0.4410
 * </pre>
 *
 * <p>The file is written after every epoch, so it can be followed while training runs; lines end with
 * {@code \n} (Python's csv module would write {@code \r\n}). Keras fixes the
 * columns at the first epoch and guesses the {@code val_} ones; here a column first seen later (with
 * {@code validationFreq(2)}, {@code val_loss} appears at epoch 1) rewrites this run's part of the file with
 * the wider header and {@code NA} in the earlier rows, so no entry is lost and no guessed column stays
 * empty. With {@code append}, rows go after an existing file's content, and the header is only written
 * if that file was empty.
 */
public class CSVLogger extends Callback {
    private final Path filename;
    private final String separator;
    private final boolean append;

    private boolean begun;
    private long start;
    private boolean header;
    private List<String> keys;
    private final List<Map<String, Double>> rows = new ArrayList<>();
    private final List<Integer> epochs = new ArrayList<>();

    /** Overwrites {@code filename}, comma-separated. */
    public CSVLogger(Path filename) {
        this(filename, ',', false);
    }

    /**
     * @param filename  the CSV file; its parent directory must exist
     * @param separator between cells
     * @param append    add to an existing file (to continue a training run) instead of overwriting it
     */
    public CSVLogger(Path filename, char separator, boolean append) {
        if (filename == null) {
            throw new IllegalArgumentException("CSVLogger: a filename is required, got null");
        }
        if (separator == '"' || separator == '\n' || separator == '\r') {
            throw new IllegalArgumentException("CSVLogger: separator cannot be a quote or a line break, got "
                    + (separator == '"' ? "'\"'" : "a line break"));
        }
        this.filename = filename;
        this.separator = String.valueOf(separator);
        this.append = append;
    }

    public Path filename() {
        return filename;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        try {
            boolean existing = append && Files.exists(filename);
            start = existing ? Files.size(filename) : 0;
            header = !existing || start == 0 || firstLineEmpty();
            if (!existing) {
                Files.writeString(filename, "", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot open " + filename + " (" + e.getMessage() + ")", e);
        }
        keys = null;
        rows.clear();
        epochs.clear();
        begun = true;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (!begun) {
            onTrainBegin(Map.of());
        }
        Map<String, Double> row = new LinkedHashMap<>(logs);
        epochs.add(epoch);
        rows.add(row);
        if (keys != null && keys.containsAll(row.keySet())) {
            write(text(List.of(rows.size() - 1), false), false);
            return;
        }
        TreeSet<String> all = new TreeSet<>(row.keySet());
        if (keys != null) {
            all.addAll(keys);
        }
        keys = new ArrayList<>(all);
        List<Integer> every = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            every.add(i);
        }
        write(text(every, header), true);
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        begun = false;
        rows.clear();
        epochs.clear();
    }

    private String text(List<Integer> which, boolean withHeader) {
        StringBuilder out = new StringBuilder();
        if (withHeader) {
            out.append("epoch");
            keys.forEach(k -> out.append(separator).append(cell(k)));
            out.append("\n");
        }
        for (int i : which) {
            out.append(epochs.get(i));
            Map<String, Double> row = rows.get(i);
            for (String key : keys) {
                Double value = row.get(key);
                out.append(separator).append(value == null ? "NA" : PythonFloat.repr(value));
            }
            out.append("\n");
        }
        return out.toString();
    }

    /** Appends {@code text}, or first cuts the file back to where this run began and writes it all again. */
    private void write(String text, boolean fromStart) {
        try (FileChannel channel = FileChannel.open(filename, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            if (fromStart) {
                channel.truncate(start);
            }
            channel.position(channel.size());
            Writer writer = Channels.newWriter(channel, StandardCharsets.UTF_8);
            writer.write(text);
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot write " + filename + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Keras writes the header into an appended file only when its first line is empty. One byte tells: reading
     * the whole line would read all of a file that has no line break, however large.
     */
    private boolean firstLineEmpty() throws IOException {
        try (InputStream in = Files.newInputStream(filename)) {
            int first = in.read();
            return first == -1 || first == '\n' || first == '\r';
        }
    }

    /** Quotes a cell holding the separator, a quote or a line break, as Python's csv module does. */
    private String cell(String s) {
        if (s.contains(separator) || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
