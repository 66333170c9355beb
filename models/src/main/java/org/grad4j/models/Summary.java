package org.grad4j.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.grad4j.core.Variable;
import org.grad4j.layers.KerasTensor;
import org.grad4j.layers.Layer;
import org.grad4j.layers.LayerNode;
import org.grad4j.optimizers.Optimizer;

/** Keras 3's {@code model.summary()} table, drawn with the same box characters. */
final class Summary {
    /**
     * Keras lays the table out on 76 columns (an 80-column terminal less 4) at fractions 0.45, 0.80, 1.0 of it, and
     * rich then takes the 4 border characters evenly off the columns: 33, 24 and 15 characters with their padding.
     */
    private static final int[] WIDTHS = {33, 24, 15};
    /** The same for Keras' functional layout at fractions 0.30, 0.56, 0.74, 1.0 with 5 borders: 22, 20, 14, 20 less 5. */
    private static final int[] CONNECTED_WIDTHS = {21, 19, 12, 19};

    private Summary() {
    }

    static String of(Model model) {
        if (!model.isBuilt()) {
            throw new IllegalStateException(model.describe() + ".summary: the model is not built yet; call build(inputShape) "
                    + "(e.g. build(9) for 9 features), start a Sequential with an InputLayer, or fit/predict it first");
        }
        List<String[]> rows = new ArrayList<>();
        int[] widths = WIDTHS;
        if (model instanceof Functional functional) {
            FunctionalGraph graph = functional.graph();
            // Keras 3 draws a plain chain of layers with the Sequential columns, any other graph with "Connected to"
            boolean chain = graph.sequentialLike();
            widths = chain ? WIDTHS : CONNECTED_WIDTHS;
            rows.add(chain ? new String[] {"Layer (type)", "Output Shape", "Param #"}
                    : new String[] {"Layer (type)", "Output Shape", "Param #", "Connected to"});
            for (Layer layer : graph.layers) {
                List<LayerNode> nodes = layer.inboundNodes().stream().filter(graph::contains).toList();
                String shape = nodes.isEmpty() ? "?" : kerasShapes(nodes.get(nodes.size() - 1).outputs());
                String params = layer.isBuilt() ? String.format(Locale.ROOT, "%,d", layer.countParams()) : "0 (unbuilt)";
                rows.add(chain ? new String[] {layer.describe(), shape, params}
                        : new String[] {layer.describe(), shape, params, connections(nodes)});
            }
        } else {
            List<Layer> layers = model.layers();
            List<long[]> shapes = model instanceof Sequential s ? s.layerOutputShapes() : List.of();
            rows.add(new String[] {"Layer (type)", "Output Shape", "Param #"});
            for (int i = 0; i < layers.size(); i++) {
                Layer layer = layers.get(i);
                String shape = i < shapes.size() ? kerasShape(shapes.get(i)) : "?";
                String params = layer.isBuilt() ? String.format(Locale.ROOT, "%,d", layer.countParams()) : "0 (unbuilt)";
                rows.add(new String[] {layer.describe(), shape, params});
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("Model: \"").append(model.name()).append("\"\n");
        out.append(line(widths, '┏', '━', '┳', '┓'));
        out.append(row(widths, '┃', rows.get(0)));
        out.append(line(widths, '┡', '━', '╇', '┩'));
        for (int i = 1; i < rows.size(); i++) {
            out.append(row(widths, '│', rows.get(i)));
            if (i < rows.size() - 1) {
                out.append(line(widths, '├', '─', '┼', '┤'));
            }
        }
        out.append(line(widths, '└', '─', '┴', '┘'));
        List<Variable> trainable = model.trainableVariables();
        List<Variable> nonTrainable = model.nonTrainableVariables();
        // Keras 3 counts the optimizer's state in the total once the optimizer is built
        List<Variable> state = model.isCompiled() ? optimizerState(model.optimizer()) : List.of();
        out.append(" Total params: ").append(sized(count(trainable) + count(nonTrainable) + count(state),
                bytes(trainable) + bytes(nonTrainable) + bytes(state))).append('\n');
        out.append(" Trainable params: ").append(sized(count(trainable), bytes(trainable))).append('\n');
        out.append(" Non-trainable params: ").append(sized(count(nonTrainable), bytes(nonTrainable))).append('\n');
        if (!state.isEmpty()) {
            out.append(" Optimizer params: ").append(sized(count(state), bytes(state))).append('\n');
        }
        return out.toString();
    }

    /**
     * The optimizer's variables once it is built: it has slots, or it has stepped (a plain SGD has only
     * its counter). Its iteration counter exists from the start, so the variables alone do not tell.
     */
    private static List<Variable> optimizerState(Optimizer optimizer) {
        List<Variable> state = optimizer.variables();
        return state.size() > 1 || optimizer.iterations() > 0 ? state : List.of();
    }

    /** Keras' {@code (None, 64)}. */
    static String kerasShape(long[] shape) {
        List<String> dims = new ArrayList<>();
        for (long d : shape) {
            dims.add(d < 0 ? "None" : Long.toString(d));
        }
        return "(" + String.join(", ", dims) + (dims.size() == 1 ? ",)" : ")");
    }

    private static long count(List<Variable> variables) {
        long n = 0;
        for (Variable v : variables) {
            n += v.size();
        }
        return n;
    }

    private static long bytes(List<Variable> variables) {
        long n = 0;
        for (Variable v : variables) {
            n += v.size() * v.dataType().width();
        }
        return n;
    }

    /** {@code 4,865 (19.00 KB)}: Keras' thousands separators and 1024-based sizes with two decimals. */
    static String sized(long params, long bytes) {
        return String.format(Locale.ROOT, "%,d", params) + " (" + readableSize(bytes) + ")";
    }

    static String readableSize(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
        double size = bytes;
        for (String unit : units) {
            if (size / 1024 < 1) {
                return String.format(Locale.ROOT, "%.2f %s", size, unit);
            }
            size /= 1024;
        }
        return String.format(Locale.ROOT, "%.2f %s", size * 1024, "PB");
    }

    private static String line(int[] widths, char left, char fill, char cross, char right) {
        StringBuilder out = new StringBuilder().append(left);
        for (int c = 0; c < widths.length; c++) {
            out.append(String.valueOf(fill).repeat(widths[c])).append(c < widths.length - 1 ? cross : right);
        }
        return out.append('\n').toString();
    }

    /** One table row; a cell too long for its column wraps onto further lines at spaces, as rich does. Param # is right-aligned. */
    private static String row(int[] widths, char border, String[] cells) {
        List<List<String>> wrapped = new ArrayList<>();
        int height = 0;
        for (int c = 0; c < cells.length; c++) {
            wrapped.add(wrap(cells[c], widths[c] - 2));
            height = Math.max(height, wrapped.get(c).size());
        }
        StringBuilder out = new StringBuilder();
        for (int line = 0; line < height; line++) {
            out.append(border);
            for (int c = 0; c < cells.length; c++) {
                List<String> lines = wrapped.get(c);
                String text = line < lines.size() ? lines.get(line) : "";
                out.append(' ').append(pad(text, widths[c] - 2, c == 2)).append(' ').append(border);
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Keras' "Connected to": every input of every call in this model, {@code layer[node][tensor]}, or "-". */
    private static String connections(List<LayerNode> nodes) {
        List<String> out = new ArrayList<>();
        for (LayerNode node : nodes) {
            for (KerasTensor in : node.inputs()) {
                out.add(in.history());
            }
        }
        return out.isEmpty() ? "-" : String.join(", ", out);
    }

    /** One output {@code (None, 8)}; several as Python prints a list of them, {@code [(None, 8), (None, 8)]}. */
    private static String kerasShapes(List<KerasTensor> outputs) {
        List<String> shapes = outputs.stream().map(t -> kerasShape(t.shape())).toList();
        return shapes.size() == 1 ? shapes.get(0) : "[" + String.join(", ", shapes) + "]";
    }

    /** Greedy word wrap to {@code width}; a single word longer than the width is cut with an ellipsis. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String word : text.split(" ")) {
            if (current.length() > 0 && current.length() + 1 + word.length() > width) {
                lines.add(current.toString());
                current.setLength(0);
            }
            if (current.length() > 0) {
                current.append(' ');
            }
            current.append(word);
        }
        lines.add(current.toString());
        return lines.stream().map(l -> l.length() > width ? l.substring(0, width - 1) + "…" : l).toList();
    }

    private static String pad(String text, int width, boolean right) {
        String spaces = " ".repeat(width - text.length());
        return right ? spaces + text : text + spaces;
    }
}
