package org.grad4j.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.grad4j.core.Variable;
import org.grad4j.layers.Layer;

/** Keras 3's {@code model.summary()} table, drawn with the same box characters. */
final class Summary {
    private static final int[] WIDTHS = {33, 24, 15};

    private Summary() {
    }

    static String of(Model model) {
        if (!model.isBuilt()) {
            throw new IllegalStateException(model.describe() + ".summary: the model is not built yet; call build(inputShape) "
                    + "(e.g. build(9) for 9 features), start a Sequential with an InputLayer, or fit/predict it first");
        }
        List<Layer> layers = model.layers();
        List<long[]> shapes = model instanceof Sequential s ? s.layerOutputShapes() : List.of();
        StringBuilder out = new StringBuilder();
        out.append("Model: \"").append(model.name()).append("\"\n");
        out.append(line('┏', '━', '┳', '┓'));
        out.append(row('┃', "Layer (type)", "Output Shape", "Param #"));
        out.append(line('┡', '━', '╇', '┩'));
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            String shape = i < shapes.size() ? kerasShape(shapes.get(i)) : "?";
            String params = layer.isBuilt() ? String.format(Locale.ROOT, "%,d", layer.countParams()) : "0 (unbuilt)";
            out.append(row('│', layer.describe(), shape, params));
            if (i < layers.size() - 1) {
                out.append(line('├', '─', '┼', '┤'));
            }
        }
        out.append(line('└', '─', '┴', '┘'));
        long trainable = count(model.trainableVariables());
        long nonTrainable = count(model.nonTrainableVariables());
        out.append(" Total params: ").append(sized(trainable + nonTrainable,
                bytes(model.trainableVariables()) + bytes(model.nonTrainableVariables()))).append('\n');
        out.append(" Trainable params: ").append(sized(trainable, bytes(model.trainableVariables()))).append('\n');
        out.append(" Non-trainable params: ").append(sized(nonTrainable, bytes(model.nonTrainableVariables()))).append('\n');
        if (model.isCompiled() && !model.optimizer().variables().isEmpty()) {
            List<Variable> state = model.optimizer().variables();
            out.append(" Optimizer params: ").append(sized(count(state), bytes(state))).append('\n');
        }
        return out.toString();
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

    private static String line(char left, char fill, char cross, char right) {
        StringBuilder out = new StringBuilder().append(left);
        for (int c = 0; c < WIDTHS.length; c++) {
            out.append(String.valueOf(fill).repeat(WIDTHS[c])).append(c < WIDTHS.length - 1 ? cross : right);
        }
        return out.append('\n').toString();
    }

    private static String row(char border, String layer, String shape, String params) {
        return border + " " + fit(layer, WIDTHS[0] - 2, false) + " " + border + " " + fit(shape, WIDTHS[1] - 2, false) + " "
                + border + " " + fit(params, WIDTHS[2] - 2, true) + " " + border + "\n";
    }

    /** Pads to {@code width}; a longer text is cut with an ellipsis, as rich does. */
    private static String fit(String text, int width, boolean right) {
        String t = text.length() > width ? text.substring(0, width - 1) + "…" : text;
        String pad = " ".repeat(width - t.length());
        return right ? pad + t : t + pad;
    }
}
