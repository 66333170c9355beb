package org.grad4j.models.saving;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.List;
import org.grad4j.core.Variable;
import org.grad4j.optimizers.Nadam;
import org.grad4j.optimizers.Optimizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Nadam's running product of its momentum schedule, {@code u_product = prod_{t=1..n} beta_1 (1 - 0.5 * 0.96^t)}
 * after {@code n} steps, which Keras and grad4j keep as optimizer state next to the iteration counter. Keras 3
 * (3.5's {@code Nadam.build}) creates it before the slots, so {@code optimizer/vars} holds the iteration, the
 * learning rate, u_product, then each variable's momentum and velocity: grad4j's own order, and the order
 * written. tf.keras 2.11+ does not save it (a plain {@code tf.Variable}, not an optimizer variable), so a
 * {@code .h5} file's Nadam gets it recomputed from the iteration count. Either way, a loaded value must agree with
 * the count: the product is fully determined by it, so a disagreement means the arrays were not what they seemed.
 */
final class NadamState {
    /** Float32 products of hundreds of float32 factors (Keras) against grad4j's: far closer than this. */
    private static final double RELATIVE = 1e-4;
    /** Below float32's smallest normal number the product is only a few subnormal bits (after ~800 steps). */
    private static final double ABSOLUTE = 1e-37;

    private NadamState() {
    }

    static boolean is(Optimizer optimizer) {
        return optimizer instanceof Nadam;
    }

    /** The index of u_product in the optimizer's state list, or -1. */
    static int index(List<Variable> state) {
        for (int i = 0; i < state.size(); i++) {
            if (state.get(i).name().endsWith("/u_product")) {
                return i;
            }
        }
        return -1;
    }

    /** grad4j's u_product after {@code steps} steps, accumulated as grad4j's Nadam does (float32 storage). */
    static float expected(Optimizer nadam, long steps) {
        double beta1 = ((Number) nadam.config().get("beta_1")).doubleValue();
        float product = 1f;
        for (long t = 1; t <= steps; t++) {
            product = (float) (product * (beta1 * (1 - 0.5 * Math.pow(0.96, t))));
        }
        return product;
    }

    /**
     * Refuses a Keras 3 {@code optimizer/vars} group that keeps u_product last rather than after the learning
     * rate (the layout of Keras releases whose Nadam creates the slots first): its slot order cannot be told from
     * the file alone.
     */
    static void checkKeras3Layout(Optimizer optimizer, Group vars, int stateSize) {
        if (!is(optimizer) || vars == null) {
            return;
        }
        List<Dataset> datasets = new ArrayList<>();
        for (String name : Hdf5Arrays.children(vars)) {
            Node node = vars.getChild(name);
            if (node instanceof Dataset d) {
                datasets.add(d);
            }
        }
        // the counter, the learning rate, u_product, then slots: anything shorter is a file saved before the first step
        if (datasets.size() != stateSize + 1 || datasets.size() < 4) {
            return;
        }
        if (!datasets.get(2).isScalar() && datasets.get(datasets.size() - 1).isScalar()) {
            throw new IllegalArgumentException("optimizer Nadam: optimizer/vars keeps u_product last (optimizer/vars/"
                    + (datasets.size() - 1) + "), the layout of Keras releases whose Nadam creates its momentums and "
                    + "velocities before u_product; the Keras importer reads Nadam state in Keras 3.5's layout "
                    + "(iteration, learning rate, u_product, then each variable's momentum and velocity). Load with "
                    + "Model.load(path, false) to skip the optimizer state");
        }
    }

    /** Checks a loaded u_product against the loaded iteration count, before anything is assigned. */
    static void verify(Optimizer optimizer, List<Variable> state, List<Npz.Entry> loaded, String where) {
        int u = index(state);
        if (!is(optimizer) || u < 0 || loaded.size() <= u) {
            return;
        }
        long steps = loaded.get(0).array().getLong(0);
        double value = loaded.get(u).array().getDouble(0);
        double expected = expected(optimizer, steps);
        if (!(Math.abs(value - expected) <= RELATIVE * Math.abs(expected) + ABSOLUTE)) {
            throw new IllegalArgumentException("optimizer Nadam: " + where + " holds u_product = " + value + " but "
                    + "after " + steps + " iterations it is " + expected + " (prod beta_1 (1 - 0.5 * 0.96^t), t = 1.."
                    + steps + "); the optimizer state does not fit together. Load with Model.load(path, false) to "
                    + "skip it");
        }
    }

    /** The state a tf.keras 2.11+ file holds: all of it but u_product. */
    static List<Variable> withoutUProduct(List<Variable> state) {
        List<Variable> out = new ArrayList<>(state);
        out.remove(index(state));
        return out;
    }

    /** u_product as an entry for {@code state}'s variable, computed from the loaded iteration count. */
    static Npz.Entry computed(Optimizer optimizer, List<Variable> state, List<Npz.Entry> loaded) {
        long steps = loaded.isEmpty() ? 0 : loaded.get(0).array().getLong(0);
        return new Npz.Entry(state.get(index(state)).name(), Nd4j.scalar(DataType.FLOAT, expected(optimizer, steps)));
    }
}
