package org.grad4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.grad4j.core.Seeds;
import org.grad4j.layers.Dense;
import org.grad4j.layers.Layer;
import org.grad4j.optimizers.SGD;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The seed's TF2 regression: {@code y = 2x - 1 + noise} learned by {@code Sequential(Dense(1))} with SGD in
 * batches of 32, checked against the truth and against the closed-form least-squares line of the same data.
 */
class RegressionTest {

    @Test
    void sgdFindsTheLeastSquaresLine() {
        Layer.resetNameCounters();
        Seeds.set(2024);
        int n = 1000;
        SplittableRandom random = new SplittableRandom(99);
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = random.nextDouble(-5, 5);
            ys[i] = 2 * xs[i] - 1 + 0.1 * Seeds.gaussian(random);
        }
        INDArray x = TestData.floats(xs, n, 1);
        INDArray y = TestData.floats(ys, n, 1);

        // least squares in double, on the float32 values the model is given
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x.getDouble(i, 0);
            my += y.getDouble(i, 0);
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            double dx = x.getDouble(i, 0) - mx;
            sxy += dx * (y.getDouble(i, 0) - my);
            sxx += dx * dx;
        }
        double slope = sxy / sxx;
        double intercept = my - slope * mx;

        Sequential model = new Sequential(new Dense(1));
        model.compile(new SGD(0.01), "mse");
        // lr 0.01: the intercept contracts by (1 - 2 * 0.01) per step, 0.52 per epoch of 32 steps, so 15
        // epochs leave ~6e-5 of the initial error; batch noise keeps W and b within ~0.002 of the optimum
        History history = model.fit(x, y, FitOptions.epochs(15).batchSize(32).seed(7).verbose(0));

        double w = model.trainableVariables().get(0).array().getDouble(0);
        double b = model.trainableVariables().get(1).array().getDouble(0);
        assertEquals(2.0, w, 0.02, "W");
        assertEquals(-1.0, b, 0.05, "b");
        assertEquals(slope, w, 1e-2, "W against least squares " + slope);
        assertEquals(intercept, b, 1e-2, "b against least squares " + intercept);
        // the last epoch's loss is the noise variance (0.01), up to the remaining batch noise
        double lastLoss = history.get("loss").get(14);
        assertTrue(lastLoss < 0.0125 && lastLoss > 0.008, "last loss " + lastLoss);
        assertEquals(15, history.get("loss").size());
    }
}
