package org.grad4j.layers;

import java.util.List;
import org.grad4j.core.Tensor;

/**
 * How a layer was called on symbolic tensors, so that a functional model calls it the same way on values:
 * one tensor ({@link Layer#apply}), a list ({@link Merge#apply(List)}), one tensor with the states returned
 * ({@code callWithState} of a recurrent layer), query, value and optional key (MultiHeadAttention), or a list
 * giving a list ({@link ListCallable}).
 */
public enum CallKind {
    /** An InputLayer's node: the model's input itself, never run. */
    INPUT,
    SINGLE,
    LIST,
    STATE,
    ATTENTION,
    /** A list in, a list out: a functional model of several inputs or outputs inside another. */
    MULTI;

    /** Calls {@code layer} on {@code inputs} this way; returns its outputs. */
    List<Tensor> invoke(Layer layer, List<Tensor> inputs, boolean training) {
        return switch (this) {
            case INPUT -> List.of(inputs.get(0));
            case SINGLE -> List.of(layer.apply(inputs.get(0), training));
            case LIST -> List.of(((Merge) layer).apply(inputs, training));
            case STATE -> layer instanceof Bidirectional b ? b.callWithState(inputs.get(0), training)
                    : ((RecurrentLayer<?>) layer).callWithState(inputs.get(0), training);   // each reads the input's mask
            case ATTENTION -> List.of(((MultiHeadAttention) layer).call(inputs.get(0), inputs.get(1),
                    inputs.size() > 2 ? inputs.get(2) : null, null, training, false));
            case MULTI -> ((ListCallable) layer).callList(inputs, training);
        };
    }
}
