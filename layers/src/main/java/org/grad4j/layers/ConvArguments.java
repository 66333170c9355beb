package org.grad4j.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Keras' argument conventions shared by convolution and pooling layers: int-or-tuple sizes, padding names. */
final class ConvArguments {
    private ConvArguments() {
    }

    /** One value per spatial axis: a single value repeats, as Keras' {@code standardize_tuple}. */
    static int[] tuple(String owner, String key, int rank, int... values) {
        return tuple(owner, key, rank, 1, values);
    }

    /** As {@link #tuple}, with zeros allowed (Keras' {@code allow_zero}, for output_padding). */
    static int[] tupleAllowingZero(String owner, String key, int rank, int... values) {
        return tuple(owner, key, rank, 0, values);
    }

    private static int[] tuple(String owner, String key, int rank, int smallest, int[] values) {
        int[] out = values.length == 1 ? filled(rank, values[0]) : values.clone();
        if (out.length != rank) {
            throw new IllegalArgumentException(owner + ": " + key + " must have 1 or " + rank + " values, got "
                    + Arrays.toString(values));
        }
        for (int v : out) {
            if (v < smallest) {
                throw new IllegalArgumentException(owner + ": " + key + " must be " + (smallest == 0 ? "non-negative" : "positive")
                        + ", got " + Arrays.toString(values));
            }
        }
        return out;
    }

    private static int[] filled(int rank, int value) {
        int[] out = new int[rank];
        Arrays.fill(out, value);
        return out;
    }

    /** A config value that is an int or a list of ints (JSON numbers), as {@link #tuple}. */
    static int[] fromConfig(String owner, String key, int rank, Object value) {
        return fromConfig(owner, key, rank, 1, value);
    }

    /** As {@link #fromConfig}, with zeros allowed (output_padding). */
    static int[] fromConfigAllowingZero(String owner, String key, int rank, Object value) {
        return fromConfig(owner, key, rank, 0, value);
    }

    private static int[] fromConfig(String owner, String key, int rank, int smallest, Object value) {
        if (value instanceof Number n) {
            return tuple(owner, key, rank, smallest, new int[] {whole(owner, key, n, value)});
        }
        if (value instanceof List<?> list) {
            int[] out = new int[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Number n)) {
                    throw new IllegalArgumentException(owner + ": config key \"" + key + "\" must be an int or a list of ints, got "
                            + value);
                }
                out[i] = whole(owner, key, n, value);
            }
            return tuple(owner, key, rank, smallest, out);
        }
        if (value instanceof int[] a) {
            return tuple(owner, key, rank, smallest, a);
        }
        throw new IllegalArgumentException(owner + ": config key \"" + key + "\" must be an int or a list of ints, got " + value);
    }

    private static int whole(String owner, String key, Number n, Object shown) {
        double d = n.doubleValue();
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(owner + ": config key \"" + key + "\" must hold whole numbers, got " + shown);
        }
        return (int) d;
    }

    /** {@code valid} or {@code same} (any case, as Keras lower-cases it). */
    static String padding(String owner, String padding) {
        String p = padding == null ? "" : padding.toLowerCase(java.util.Locale.ROOT);
        if (!p.equals("valid") && !p.equals("same")) {
            throw new IllegalArgumentException(owner + ": padding must be \"valid\" or \"same\", got "
                    + (padding == null ? "null" : "\"" + padding + "\""));
        }
        return p;
    }

    /** Only channels_last data: grad4j's kernels use that layout. */
    static void requireChannelsLast(String owner, Map<String, Object> config) {
        Object format = config.get("data_format");
        if (format != null && !"channels_last".equals(format)) {
            throw new IllegalArgumentException(owner + ": data_format \"" + format + "\" is not supported; grad4j's "
                    + "convolution and pooling layers take channels_last inputs (transpose channels_first data first)");
        }
    }

    /** The layout a convolution or pooling layer of {@code rank} spatial axes takes, for rank errors. */
    static String layout(int rank) {
        return rank == 1 ? "([batch, steps, channels], channels_last)" : "([batch, height, width, channels], channels_last)";
    }

    static List<Integer> list(int[] values) {
        List<Integer> out = new ArrayList<>();
        for (int v : values) {
            out.add(v);
        }
        return out;
    }
}
