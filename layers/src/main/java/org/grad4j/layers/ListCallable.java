package org.grad4j.layers;

import java.util.ArrayList;
import java.util.List;
import org.grad4j.core.Tensor;

/**
 * A layer called with a list of tensors that returns a list: a functional model of several inputs or outputs
 * nested in another graph. Called on symbolic tensors, it records one node ({@link CallKind#MULTI}) whose
 * outputs are symbolic, one per output.
 */
public interface ListCallable {

    /** The outputs for {@code inputs}, one value per input; symbolic inputs give symbolic outputs. */
    List<Tensor> callList(List<? extends Tensor> inputs, boolean training);

    /** For {@link #callList}: records the call when {@code inputs} are symbolic, else returns null. */
    static List<Tensor> recordIfSymbolic(Layer layer, List<? extends Tensor> inputs) {
        if (inputs == null || !Symbolic.any(inputs)) {
            return null;
        }
        if (!(layer instanceof ListCallable)) {
            throw new IllegalArgumentException(layer.describe() + " is not called with lists");
        }
        return new ArrayList<>(Symbolic.call(layer, Symbolic.all(layer, inputs), CallKind.MULTI));
    }
}
