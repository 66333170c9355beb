package org.grad4j.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Shapes;
import org.grad4j.layers.KerasTensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The arrays a functional model is given, one per input or output: checked for count, sample count and shape
 * before anything runs, or picked from a map by input or output name, with errors naming the model, the input
 * or output and the shapes.
 */
final class NamedArrays {
    private final Functional model;

    NamedArrays(Functional model) {
        this.model = model;
    }

    void check(String where, String what, List<INDArray> arrays, List<KerasTensor> declared, boolean checkShapes) {
        if (arrays == null || arrays.size() != declared.size()) {
            throw new IllegalArgumentException(model.describe() + "." + where + ": " + what + " must hold " + declared.size()
                    + " arrays " + (what.equals("x") ? model.inputNames() : model.outputNames()) + ", got "
                    + (arrays == null ? "null" : arrays.size()));
        }
        long n = -1;
        for (int i = 0; i < arrays.size(); i++) {
            INDArray a = arrays.get(i);
            String name = declared.get(i).layer().name();
            if (a == null || a.rank() == 0) {
                throw new IllegalArgumentException(model.describe() + "." + where + ": " + what + " \"" + name + "\" needs a sample "
                        + "axis, got " + (a == null ? "null" : Shapes.format(a.shape())));
            }
            if (n >= 0 && a.size(0) != n) {
                throw new IllegalArgumentException(model.describe() + "." + where + ": the arrays of " + what + " must have one "
                        + "sample count, but \"" + name + "\" has " + a.size(0) + " and the first has " + n);
            }
            n = a.size(0);
            if (checkShapes) {
                long[] shape = a.shape().clone();
                shape[0] = -1;
                long[] expected = declared.get(i).shape();
                boolean ok = shape.length == expected.length;
                for (int d = 1; ok && d < shape.length; d++) {
                    ok = expected[d] < 0 || expected[d] == shape[d];
                }
                if (!ok) {
                    throw new IllegalArgumentException(model.describe() + "." + where + ": input \"" + name + "\" expects shape "
                            + Shapes.format(expected) + ", got " + Shapes.format(a.shape()));
                }
            }
        }
    }

    /** The arrays of a map by name, in {@code names}' order; unknown and missing names fail. */
    List<INDArray> byName(String where, String what, Map<String, INDArray> arrays, List<String> names) {
        if (arrays == null) {
            throw new IllegalArgumentException(model.describe() + "." + where + ": the " + what + " map is null");
        }
        for (String key : arrays.keySet()) {
            if (!names.contains(key)) {
                throw new IllegalArgumentException(model.describe() + "." + where + ": unknown " + what + " \"" + key
                        + "\" (known: " + String.join(", ", names) + ")");
            }
        }
        List<INDArray> out = new ArrayList<>();
        for (String name : names) {
            if (!arrays.containsKey(name)) {
                throw new IllegalArgumentException(model.describe() + "." + where + ": no array for " + what + " \"" + name
                        + "\" (given: " + String.join(", ", arrays.keySet()) + ")");
            }
            out.add(arrays.get(name));
        }
        return Collections.unmodifiableList(out);
    }
}
