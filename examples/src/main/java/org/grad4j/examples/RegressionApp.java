package org.grad4j.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.grad4j.core.NoGrad;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Initializers;
import org.grad4j.losses.MeanSquaredError;
import org.grad4j.models.FitOptions;
import org.grad4j.models.History;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.SGD;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The TensorFlow 1 regression recipe: learn the one number A in {@code y = A·x} from samples
 * {@code x ~ N(1, 0.1)} whose target is always 10, so A must end near 10. Part one is the recipe's own
 * loop (a Variable, a squared loss and SGD on one random sample a step); part two solves the same
 * problem, from the same starting A, with a bias-free {@code Dense(1)} in a {@code Sequential} and
 * {@code compile}/{@code fit}.
 */
public final class RegressionApp implements App {
    static final int SAMPLES = 100;
    static final float TARGET = 10f;
    /** The recipe printed every 25 steps. */
    static final int PRINT_EVERY = 25;

    @Override
    public String name() {
        return "regression";
    }

    @Override
    public String description() {
        return "TF1 recipe: y = A·x with x ~ N(1, 0.1) and target 10, SGD on one sample a step; then Sequential + fit";
    }

    @Override
    public List<Options.Spec> options() {
        return Options.withCommon(
                new Options.Spec("steps", "100", "SGD steps of the recipe's loop (one random sample each)"),
                new Options.Spec("lr", "0.02", "learning rate of both parts"),
                new Options.Spec("epochs", "2", "epochs of the Sequential part (100 steps of batch size 1 each; the second settles A)"),
                new Options.Spec("seed", "42", "seed of the samples, the initial A, the picks and fit's shuffling"));
    }

    public static void main(String[] args) throws Exception {
        Examples.mainOf(new RegressionApp(), args);
    }

    @Override
    public void run(Options options, PrintStream out) throws Exception {
        int steps = options.integer("steps", 1);
        double learningRate = options.number("lr", 0);
        int epochs = options.integer("epochs", 1);
        long seed = options.longValue("seed");
        boolean plots = options.plots();

        Seeds.set(seed);
        SplittableRandom random = new SplittableRandom(seed);
        SplittableRandom picks = random.split();
        float[] xs = new float[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            xs[i] = (float) (1 + 0.1 * Seeds.gaussian(random));
        }
        float initialA = (float) Seeds.gaussian(random);
        out.printf(Locale.ROOT, "%d samples x ~ N(1, 0.1), target %.0f; A starts at %.4f%n", SAMPLES, TARGET, initialA);

        // Part one: the recipe's loop
        Variable a = new Variable("A", Nd4j.createFromArray(initialA));
        MeanSquaredError squaredLoss = new MeanSquaredError();
        SGD sgd = new SGD(learningRate);
        Tensor target = Tensor.of(new float[] {TARGET}, 1);
        double[] stepNumbers = new double[steps];
        double[] lossPerStep = new double[steps];
        double[] aPerStep = new double[steps];
        for (int step = 1; step <= steps; step++) {
            Tensor x = Tensor.of(new float[] {xs[picks.nextInt(SAMPLES)]}, 1);
            sgd.minimize(() -> squaredLoss.call(target, x.mul(a)), List.of(a));
            // as the recipe: the loss on the step's sample after the step
            float loss;
            try (NoGrad scope = NoGrad.enter()) {
                loss = squaredLoss.call(target, x.mul(a)).item();
            }
            stepNumbers[step - 1] = step;
            lossPerStep[step - 1] = loss;
            aPerStep[step - 1] = a.item();
            if (step % PRINT_EVERY == 0) {
                out.printf(Locale.ROOT, "Step #%d A = %.4f Loss = %.4f%n", step, a.item(), loss);
            }
        }
        out.printf(Locale.ROOT, "Final A = %.4f after %d steps%n", a.item(), steps);

        // Part two: the same problem with Keras' API
        INDArray x = Nd4j.create(xs, new long[] {SAMPLES, 1}, 'c');
        INDArray y = Nd4j.valueArrayOf(new long[] {SAMPLES, 1}, TARGET, DataType.FLOAT);
        Dense dense = new Dense(1).useBias(false).kernelInitializer(Initializers.constant(initialA));
        Sequential model = new Sequential(new InputLayer(1), dense);
        model.compile(new SGD(learningRate), new MeanSquaredError());
        History history = model.fit(x, y, FitOptions.epochs(epochs).batchSize(1).verbose(0).seed(seed));
        List<Double> epochLoss = history.get("loss");
        out.printf(Locale.ROOT, "Sequential: A = %.4f (the kernel of Dense(1) without bias, after %d epoch(s) of %d steps; "
                + "last epoch's loss = %.4f)%n", dense.kernel().item(), epochs, SAMPLES, epochLoss.get(epochLoss.size() - 1));

        if (plots) {
            XYChart chart = Plots.chart("y = A·x: the recipe's loop, lr " + learningRate, "step", "loss on the step's sample");
            Plots.line(chart, "loss", stepNumbers, lossPerStep);
            Plots.line(chart, "A", stepNumbers, aPerStep).setYAxisGroup(1);
            chart.setYAxisGroupTitle(1, "A");
            chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
            Plots.save(chart, options.out(), "regression.png", out);
        }
    }
}
