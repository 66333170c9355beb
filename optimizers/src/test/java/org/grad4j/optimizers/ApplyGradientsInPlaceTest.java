package org.grad4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Supplier;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Handing gradients over to the optimizer changes nothing in the result, even when gradients share arrays. */
class ApplyGradientsInPlaceTest {

    private static INDArray random(long seed) {
        return Tensor.randomNormal(new long[] {40, 30}, 0, 1, seed).array();
    }

    private static void compare(Supplier<Optimizer> make) {
        Variable a1 = new Variable("a", random(1));
        Variable b1 = new Variable("b", random(2));
        Variable a2 = new Variable("a", random(1));
        Variable b2 = new Variable("b", random(2));
        Optimizer copying = make.get();
        Optimizer consuming = make.get();
        for (int step = 0; step < 3; step++) {
            INDArray ga = random(10 + step);
            INDArray gb = random(20 + step);
            copying.applyGradients(List.of(Tensor.of(ga), Tensor.of(gb)), List.of(a1, b1));
            consuming.applyGradientsInPlace(List.of(Tensor.of(ga.dup()), Tensor.of(gb.dup())), List.of(a2, b2));
        }
        assertEquals(a1.array(), a2.array(), copying.name() + ": a");
        assertEquals(b1.array(), b2.array(), copying.name() + ": b");
    }

    @Test
    void inPlaceMatchesCopyingForEveryRule() {
        compare(() -> new SGD(0.1));
        compare(() -> new SGD(0.1).momentum(0.9));
        compare(Adam::new);
        compare(RMSprop::new);
        compare(Adagrad::new);
        compare(Adadelta::new);
    }

    @Test
    void sharedGradientArraysAreCopiedBeforeTheRuleWritesIntoThem() {
        INDArray g = random(5);
        Variable a = new Variable("a", random(3));
        Variable b = new Variable("b", random(4));
        Tensor same = Tensor.of(g.dup());
        new Adam(0.01).applyGradientsInPlace(List.of(same, same), List.of(a, b));
        Variable a0 = new Variable("a", random(3));
        Variable b0 = new Variable("b", random(4));
        new Adam(0.01).applyGradients(List.of(Tensor.of(g), Tensor.of(g)), List.of(a0, b0));
        assertEquals(a0.array(), a.array());
        assertEquals(b0.array(), b.array());
    }

    /**
     * Small gradients (values in a Java array) are copied into an array the optimizer keeps per variable: the same
     * updates bit for bit as copying, step after step, the same gradient tensor handed over twice included, and
     * the caller's tensors untouched.
     */
    @Test
    void smallGradientsGoThroughTheKeptArrayWithTheSameResult() {
        for (Supplier<Optimizer> make : List.<Supplier<Optimizer>>of(Adam::new, () -> new SGD(0.1).momentum(0.9), RMSprop::new)) {
            Variable a1 = new Variable("a", Tensor.randomNormal(new long[] {8, 5}, 0, 1, 1).array());
            Variable b1 = new Variable("b", Tensor.randomNormal(new long[] {5}, 0, 1, 2).array());
            Variable a2 = new Variable("a", Tensor.randomNormal(new long[] {8, 5}, 0, 1, 1).array());
            Variable b2 = new Variable("b", Tensor.randomNormal(new long[] {5}, 0, 1, 2).array());
            Optimizer copying = make.get();
            Optimizer consuming = make.get();
            for (int step = 0; step < 4; step++) {
                // float values give tensors kept in Java arrays (randomNormal's are ND4J arrays)
                float[] va = Tensor.randomNormal(new long[] {8, 5}, 0, 1, 10 + step).toFloatArray();
                float[] vb = Tensor.randomNormal(new long[] {5}, 0, 1, 20 + step % 3).toFloatArray();
                Tensor ga = Tensor.of(va, 8, 5);
                Tensor gb = Tensor.of(vb, 5);
                // with -Dgrad4j.kernels=nd4j every tensor is an ND4J array, which the rule may overwrite when handed over
                boolean inJava = !"nd4j".equals(System.getProperty("grad4j.kernels"));
                assertEquals(!inJava, ga.hasArray(), "a small tensor keeps its values in Java unless every op runs in ND4J");
                consuming.applyGradientsInPlace(List.of(ga, gb), List.of(a2, b2));
                if (inJava) {
                    assertEquals(false, ga.hasArray(), "handed over, still in Java: its values were copied, not moved");
                    org.junit.jupiter.api.Assertions.assertArrayEquals(va, ga.toFloatArray(), "the caller's gradient is untouched");
                }
                copying.applyGradients(List.of(Tensor.of(va, 8, 5), Tensor.of(vb, 5)), List.of(a1, b1));
            }
            assertEquals(a1.array(), a2.array(), copying.name() + ": a");
            assertEquals(b1.array(), b2.array(), copying.name() + ": b");
        }
    }
}
