package org.grad4j.models.saving;

import java.util.ArrayList;
import java.util.List;
import org.grad4j.core.Variable;
import org.grad4j.layers.Layer;

/**
 * Keras 3's MultiHeadAttention keeps no variables of its own: four EinsumDense sublayers hold them, each saving
 * {@code vars/0} = kernel and {@code vars/1} = bias (absent without use_bias), with the shapes grad4j's weights
 * already have: query, key and value kernels {@code (dim, num_heads, head_dim)} and biases
 * {@code (num_heads, head_dim)}, the output kernel {@code (num_heads, value_dim, out)} and bias {@code (out)}.
 * {@code saving_lib} names a sublayer's group by the attribute it first reaches it through, walking attributes in
 * sorted order: current Keras visits public attributes first, so the public properties {@code query_dense},
 * {@code key_dense}, {@code value_dense}, {@code output_dense}; a release that sorts plainly reaches them
 * through the private {@code _query_dense}... first. Files are written with the public names and read with either.
 */
final class MultiHeadAttentionGroups {
    /** Keras' sublayer attribute and grad4j's weight prefix, in the order of Keras' {@code layer.weights}. */
    private static final String[][] SUBLAYERS = {
        {"query_dense", "query"}, {"key_dense", "key"}, {"value_dense", "value"}, {"output_dense", "attention_output"}};

    private MultiHeadAttentionGroups() {
    }

    static List<KerasConfigs.VarsGroup> of(Layer layer, String base) {
        List<Variable> weights = layer.weights();
        List<KerasConfigs.VarsGroup> out = new ArrayList<>();
        out.add(new KerasConfigs.VarsGroup(layer, base + "/vars", List.of()));
        int used = 0;
        for (String[] sub : SUBLAYERS) {
            List<Variable> own = new ArrayList<>();
            for (String role : List.of("kernel", "bias")) {
                for (Variable v : weights) {
                    if (v.name().endsWith("/" + sub[1] + "/" + role + ":0")) {
                        own.add(v);
                    }
                }
            }
            if (own.isEmpty()) {
                throw new IllegalArgumentException(layer.describe() + ": no " + sub[1] + " kernel among its weights "
                        + weights.stream().map(Variable::name).toList() + " to map to Keras' " + sub[0]);
            }
            used += own.size();
            out.add(new KerasConfigs.VarsGroup(layer, base + "/" + sub[0] + "/vars", own,
                    List.of(base + "/_" + sub[0] + "/vars")));
        }
        if (used != weights.size()) {
            throw new IllegalArgumentException(layer.describe() + ": " + weights.size() + " weights "
                    + weights.stream().map(Variable::name).toList() + " but only " + used + " map to Keras' query, key, "
                    + "value and output sublayers");
        }
        return out;
    }
}
