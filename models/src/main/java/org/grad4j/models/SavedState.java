package org.grad4j.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.grad4j.core.Shapes;
import org.grad4j.core.Variable;
import org.grad4j.optimizers.Optimizer;

/**
 * Puts saved arrays back into variables. Arrays are matched by position, since a recreated model may have
 * different automatic layer names ({@code dense_4} instead of {@code dense}); the part of each name that
 * does not depend on layer names ({@code kernel:0}, or {@code momentum}+{@code kernel:0} for a slot) and
 * the shape must agree. Everything is checked before the first value is assigned.
 */
final class SavedState {
    private SavedState() {
    }

    /** Assigns {@code saved} to {@code variables}, all checked first. */
    static void assignWeights(List<Variable> variables, List<Npz.Entry> saved, String where) {
        check(variables, saved, where, "weights", SavedState::weightRole);
        assign(variables, saved);
    }

    /**
     * Restores an optimizer's state into a fresh {@code optimizer}: its slots are created for {@code trainable}
     * (the variables training passes it, in that order) unless the saved state has none yet.
     */
    static void restoreOptimizer(Optimizer optimizer, List<Variable> trainable, List<Npz.Entry> saved, String where) {
        List<Variable> variables = optimizer.variables();
        if (saved.size() != variables.size()) {
            optimizer.build(trainable);
            variables = optimizer.variables();
        }
        String prefix = optimizer.name() + "/";
        check(variables, saved, where, "optimizer variables", name -> slotRole(name, prefix));
        assign(variables, saved);
    }

    private static void check(List<Variable> variables, List<Npz.Entry> saved, String where, String what,
            Function<String, String> role) {
        int n = Math.min(variables.size(), saved.size());
        for (int i = 0; i < n; i++) {
            Variable v = variables.get(i);
            Npz.Entry e = saved.get(i);
            if (!role.apply(v.name()).equals(role.apply(e.name()))) {
                throw new IllegalArgumentException(where + ": entry " + i + " is " + e.name() + " "
                        + Shapes.format(e.array().shape())
                        + " but the model's " + what + " at that position is " + v.name() + " " + Shapes.format(v.shape())
                        + " (the file was saved from a different architecture)");
            }
            if (!Arrays.equals(v.shape(), e.array().shape())) {
                throw new IllegalArgumentException(where + ": " + e.name() + " has shape " + Shapes.format(e.array().shape())
                        + " in the file but " + v.name() + " has shape " + Shapes.format(v.shape()) + " in the model");
            }
        }
        if (variables.size() != saved.size()) {
            List<String> extra = new ArrayList<>();
            if (variables.size() > saved.size()) {
                variables.subList(n, variables.size()).forEach(v -> extra.add(v.name() + " " + Shapes.format(v.shape())));
                throw new IllegalArgumentException(where + ": the file has " + saved.size() + " " + what + " but the model "
                        + "has " + variables.size() + "; missing from the file: " + String.join(", ", extra));
            }
            saved.subList(n, saved.size()).forEach(e -> extra.add(e.name() + " " + Shapes.format(e.array().shape())));
            throw new IllegalArgumentException(where + ": the file has " + saved.size() + " " + what + " but the model has "
                    + variables.size() + "; not in the model: " + String.join(", ", extra));
        }
    }

    private static void assign(List<Variable> variables, List<Npz.Entry> saved) {
        for (int i = 0; i < variables.size(); i++) {
            variables.get(i).assign(saved.get(i).array());
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
