package org.grad4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.losses.BinaryCrossentropy;
import org.grad4j.losses.MeanSquaredError;
import org.grad4j.optimizers.SGD;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The two TensorFlow 1 recipes grad4j grew from, written with core + a loss + {@code SGD.minimize}:
 * one random sample per step, as the originals.
 */
class SeedRecipesTest {

    @Test
    void regressionRecipeDrivesATowardTen() {
        SplittableRandom random = new SplittableRandom(7);
        float[] xs = new float[100];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) (1 + 0.1 * Seeds.gaussian(random)); // x ~ N(1, 0.1)
        }
        Variable a = new Variable("A", Nd4j.createFromArray((float) Seeds.gaussian(random)));
        MeanSquaredError loss = new MeanSquaredError();
        SGD sgd = new SGD(0.02);
        for (int step = 0; step < 100; step++) {
            int i = random.nextInt(xs.length);
            Tensor x = Tensor.of(new float[] {xs[i]});
            Tensor target = Tensor.of(new float[] {10f});
            sgd.minimize(() -> loss.call(target, x.mul(a)), List.of(a));
        }
        assertEquals(10f, a.item(), 1f);
        assertEquals(100, sgd.iterations());
    }

    @Test
    void classificationRecipeDrivesATowardMinusOne() {
        SplittableRandom random = new SplittableRandom(11);
        float[] xs = new float[100];
        float[] ys = new float[100];
        for (int i = 0; i < 50; i++) {
            xs[i] = (float) (-1 + Seeds.gaussian(random)); // N(-1, 1), label 0
            xs[50 + i] = (float) (3 + Seeds.gaussian(random)); // N(3, 1), label 1
            ys[50 + i] = 1f;
        }
        Variable a = new Variable("A", Nd4j.createFromArray((float) (10 + Seeds.gaussian(random))));
        BinaryCrossentropy sigmoidCrossEntropy = new BinaryCrossentropy(true);
        SGD sgd = new SGD(0.05);
        for (int step = 0; step < 1400; step++) {
            int i = random.nextInt(xs.length);
            Tensor x = Tensor.of(new float[] {xs[i]});
            Tensor label = Tensor.of(new float[] {ys[i]});
            sgd.minimize(() -> sigmoidCrossEntropy.call(label, x.add(a)), List.of(a));
        }
        assertEquals(-1f, a.item(), 0.5f);
    }
}
