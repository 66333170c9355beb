package org.grad4j.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;

/**
 * A layer's own weights in creation order, each with what the layer declared for it: whether it is
 * trainable (so unfreezing restores only those) and its regularizer.
 */
final class LayerWeights {
    private record Weight(String localName, Variable variable, boolean declaredTrainable, Regularizer regularizer) {
    }

    private final List<Weight> weights = new ArrayList<>();

    void add(String localName, Variable variable, boolean declaredTrainable, Regularizer regularizer) {
        weights.add(new Weight(localName, variable, declaredTrainable, regularizer));
    }

    boolean contains(String localName) {
        return weights.stream().anyMatch(w -> w.localName.equals(localName));
    }

    int size() {
        return weights.size();
    }

    boolean isEmpty() {
        return weights.isEmpty();
    }

    /** Forgets the weights created after the first {@code count} (undoing a failed build). */
    void truncate(int count) {
        weights.subList(count, weights.size()).clear();
    }

    /** Those declared trainable first, then the others (Keras' order), each in creation order. */
    List<Variable> ordered() {
        List<Variable> out = new ArrayList<>(weights.size());
        for (Weight w : weights) {
            if (w.declaredTrainable) {
                out.add(w.variable);
            }
        }
        for (Weight w : weights) {
            if (!w.declaredTrainable) {
                out.add(w.variable);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** Freezes every variable, or restores the declared flags. */
    void setTrainable(boolean layerTrainable) {
        for (Weight w : weights) {
            w.variable.trainable(layerTrainable && w.declaredTrainable);
        }
    }

    /** The penalties of the regularized variables that are currently trainable, computed now. */
    List<Tensor> penalties() {
        List<Tensor> out = new ArrayList<>();
        for (Weight w : weights) {
            if (w.regularizer != null && w.variable.trainable()) {
                out.add(w.regularizer.penalty(w.variable));
            }
        }
        return out;
    }
}
