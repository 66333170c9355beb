package org.grad4j.optimizers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.junit.jupiter.params.provider.Arguments;

/** Every rule in every slot layout, and seeded variables and gradients, for the behaviour tests. */
final class Fixtures {
    private Fixtures() {
    }

    /** (label, factory) pairs: each rule, plus the options that add slots. */
    static List<Arguments> everyRule() {
        List<Arguments> out = new ArrayList<>();
        add(out, "SGD", () -> new SGD(0.1));
        add(out, "SGD momentum", () -> new SGD(0.1, 0.9, false));
        add(out, "SGD nesterov", () -> new SGD(0.1, 0.9, true));
        add(out, "Adagrad", () -> new Adagrad(0.1));
        add(out, "Adadelta", () -> new Adadelta(1.0));
        add(out, "RMSprop", () -> new RMSprop(0.01));
        add(out, "RMSprop centered momentum", () -> new RMSprop(0.01).momentum(0.9).centered(true));
        add(out, "Adam", () -> new Adam(0.01));
        add(out, "Adam amsgrad", () -> new Adam(0.01).amsgrad(true));
        add(out, "AdamW clipnorm", () -> new AdamW(0.01).clipNorm(0.5));
        add(out, "Adamax", () -> new Adamax(0.01));
        add(out, "Nadam global_clipnorm", () -> new Nadam(0.01).globalClipNorm(1.0));
        return out;
    }

    private static void add(List<Arguments> out, String label, Supplier<Optimizer> factory) {
        out.add(Arguments.of(label, factory));
    }

    /** A kernel [2, 3] and a bias [3], float32, seeded. */
    static List<Variable> kernelAndBias(long seed) {
        return List.of(new Variable("dense/kernel:0", Tensor.randomNormal(new long[] {2, 3}, 0, 1, seed).array()),
                new Variable("dense/bias:0", Tensor.randomNormal(new long[] {3}, 0, 1, seed + 1).array()));
    }

    /** Seeded gradients shaped like {@code variables}. */
    static List<Tensor> gradients(List<Variable> variables, long seed) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < variables.size(); i++) {
            out.add(Tensor.randomNormal(variables.get(i).shape(), 0, 1, seed * 31 + i));
        }
        return out;
    }

    /** Independent copies of the variables, same names and values. */
    static List<Variable> copies(List<Variable> variables) {
        return variables.stream().map(v -> new Variable(v.name(), v.array().dup())).toList();
    }
}
