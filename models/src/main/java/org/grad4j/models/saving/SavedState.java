package org.grad4j.models.saving;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.grad4j.core.MemoryBudget;
import org.grad4j.core.Shapes;
import org.grad4j.core.Variable;
import org.grad4j.optimizers.Optimizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Matches saved arrays to variables. Arrays are matched by position, since a recreated model may have
 * different automatic layer names ({@code dense_4} instead of {@code dense}); the part of each name that
 * does not depend on layer names ({@code kernel:0}, or {@code momentum}+{@code kernel:0} for a slot), the
 * shape and the type must agree. Each array is checked from its header before its data is read
 * ({@link Npz.Expectation}); everything is read before the first value is assigned.
 */
final class SavedState {
    private SavedState() {
    }

    /** What an archive of a model's weights must hold: exactly {@code variables}. */
    static Npz.Expectation weights(List<Variable> variables, String archive) {
        return new Matching(variables, variables.size(), archive, "weights", SavedState::weightRole);
    }

    /**
     * What an archive of {@code optimizer}'s state must hold: all of its variables (which the caller has built
     * for the model's trainable variables), or only the first {@code unbuilt} of them, the counter and
     * optimizer-wide values that a model saved before its first step has.
     */
    static Npz.Expectation optimizer(Optimizer optimizer, int unbuilt, String archive) {
        String prefix = optimizer.name() + "/";
        return new Matching(optimizer.variables(), unbuilt, archive, "optimizer variables", name -> slotRole(name, prefix));
    }

    /**
     * Assigns each array read to the variable at its position (all were checked while reading), freeing each
     * copy at once: a large model's copies would otherwise stay in memory until a garbage collection, beside
     * the optimizer state read next.
     */
    static void assign(List<Variable> variables, List<Npz.Entry> saved) {
        for (int i = 0; i < saved.size(); i++) {
            Variable v = variables.get(i);
            INDArray value = saved.get(i).array();
            if (value.dataType() == v.dataType()) {
                v.assign(value);
            } else {
                INDArray cast = value.castTo(v.dataType());
                v.assign(cast);
                close(cast);
            }
            long[] shape = value.shape();
            if (close(value)) {
                MemoryBudget.release(shape, value.dataType());   // the reader reserved it
            }
        }
    }

    private static boolean close(INDArray copy) {
        if (!copy.closeable()) {
            return false;
        }
        copy.close();
        return true;
    }

    /** The checks behind {@link #weights} and {@link #optimizer}. */
    private record Matching(List<Variable> variables, int fewestAccepted, String archive, String what,
            Function<String, String> role) implements Npz.Expectation {
        @Override
        public void check(int index, String name, long[] shape, DataType type) {
            if (index >= variables.size()) {
                throw new IllegalArgumentException(archive + " has more " + what + " than the model's " + variables.size()
                        + "; not in the model: " + name + " " + Shapes.format(shape));
            }
            Variable v = variables.get(index);
            if (!role.apply(v.name()).equals(role.apply(name))) {
                throw new IllegalArgumentException(archive + " entry " + index + " is " + name + " " + Shapes.format(shape)
                        + " but the model's " + what + " at that position is " + v.name() + " " + Shapes.format(v.shape())
                        + " (the file was saved from a different architecture)");
            }
            if (!Arrays.equals(v.shape(), shape)) {
                throw new IllegalArgumentException(archive + " entry \"" + name + "\" has shape " + Shapes.format(shape)
                        + " but the model's " + v.name() + " is " + Shapes.format(v.shape()));
            }
            // a float64 file may fill a float32 model, as Keras' assign casts; an int or bool array is not a weight
            boolean convertible = type == v.dataType() || type.isFPType() && v.dataType().isFPType();
            if (!convertible) {
                throw new IllegalArgumentException(archive + " entry \"" + name + "\" holds " + Npy.typeName(type)
                        + " values but the model's " + v.name() + " is " + Npy.typeName(v.dataType()));
            }
        }

        @Override
        public void checkCount(List<Npz.Entry> read) {
            int n = read.size();
            if (n == variables.size() || n == fewestAccepted) {
                return;
            }
            List<String> missing = new ArrayList<>();
            variables.subList(n, variables.size()).forEach(v -> missing.add(v.name() + " " + Shapes.format(v.shape())));
            throw new IllegalArgumentException(archive + ": the file has " + n + " " + what + " but the model has "
                    + variables.size() + "; missing from the file: " + String.join(", ", missing));
        }
    }

    /** {@code dense_3/kernel:0} → {@code kernel:0}. */
    private static String weightRole(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    /** {@code adam/momentum/dense_3/kernel:0} → {@code momentum/kernel:0}; {@code adam/iteration} → {@code iteration}. */
    private static String slotRole(String name, String optimizerPrefix) {
        String rest = name.startsWith(optimizerPrefix) ? name.substring(optimizerPrefix.length()) : name;
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash) + "/" + weightRole(rest);
    }
}
