package org.grad4j.examples;

import java.awt.Color;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.grad4j.core.GradientTape;
import org.grad4j.core.NoGrad;
import org.grad4j.core.Seeds;
import org.grad4j.core.Tensor;
import org.grad4j.core.Variable;
import org.grad4j.optimizers.SGD;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The TensorFlow 2 linear-regression recipe: two variables W and b, a mean squared error written out by
 * hand, {@code tape.gradient} and an SGD step on shuffled minibatches. Because the problem is linear, the
 * answer is also known in closed form, so the app ends by putting the two side by side: what gradient
 * descent found is only as good as its distance to the least-squares line of the same points.
 */
public final class LinearRegressionApp implements App {
    private static final double TRUE_W = 2;
    private static final double TRUE_B = -1;
    private static final int DISPLAY_STEP = 100;

    @Override
    public String name() {
        return "linear-regression";
    }

    @Override
    public String description() {
        return "TF2 GradientTape recipe: fit y = 2x - 1 + noise with W, b and SGD, checked against least squares";
    }

    @Override
    public List<Options.Spec> options() {
        return Options.withCommon(
                new Options.Spec("steps", "1000", "SGD steps (one minibatch each)"),
                new Options.Spec("batch-size", "32", "samples per step"),
                new Options.Spec("lr", "0.01", "learning rate"),
                new Options.Spec("samples", "1000", "number of generated points, x uniform in [-5, 5)"),
                new Options.Spec("noise", "0.5", "standard deviation of the Gaussian noise added to 2x - 1"),
                new Options.Spec("seed", "42", "seed of the data, the initial W and b and the batch order"));
    }

    public static void main(String[] args) throws Exception {
        Examples.mainOf(new LinearRegressionApp(), args);
    }

    @Override
    public void run(Options options, PrintStream out) throws Exception {
        int steps = options.integer("steps", 1);
        int batchSize = options.integer("batch-size", 1);
        double learningRate = options.number("lr", 0);
        int samples = options.integer("samples", 2);
        double noise = options.number("noise", 0);
        long seed = options.longValue("seed");
        boolean plots = options.plots();
        if (batchSize > samples) {
            throw new Options.UsageException(name() + ": --batch-size must be at most --samples (" + samples
                    + "), got \"" + batchSize + "\"");
        }

        Seeds.set(seed);
        SplittableRandom random = new SplittableRandom(seed);
        float[] xs = new float[samples];
        float[] ys = new float[samples];
        for (int i = 0; i < samples; i++) {
            xs[i] = (float) (-5 + 10 * random.nextDouble());
            ys[i] = (float) (TRUE_W * xs[i] + TRUE_B + noise * Seeds.gaussian(random));
        }
        out.printf("data: %d points, y = %.0fx %s %.0f + N(0, %s²) noise, x uniform in [-5, 5)%n", samples, TRUE_W,
                TRUE_B < 0 ? "-" : "+", Math.abs(TRUE_B), noise);

        // the recipe starts both variables from a standard normal draw
        Variable w = new Variable("W", Nd4j.scalar((float) Seeds.gaussian(random)));
        Variable b = new Variable("b", Nd4j.scalar((float) Seeds.gaussian(random)));
        List<Variable> variables = List.of(w, b);
        SGD optimizer = new SGD(learningRate);
        out.printf("initial W = %.4f, b = %.4f; SGD(%s), batch size %d, %d steps%n", w.item(), b.item(), learningRate,
                batchSize, steps);

        Tensor allX = Tensor.of(xs, samples);
        Tensor allY = Tensor.of(ys, samples);
        Minibatches batches = new Minibatches(xs, ys, batchSize, random);
        List<Double> batchLosses = new ArrayList<>(steps);
        for (int step = 1; step <= steps; step++) {
            Minibatches.Batch batch = batches.next();
            Tensor loss;
            GradientTape tape = GradientTape.open();
            try (tape) {
                loss = meanSquaredError(batch.x().mul(w).add(b), batch.y());
            }
            List<Tensor> gradients = tape.gradient(loss, variables);
            optimizer.applyGradients(gradients, variables);
            batchLosses.add(loss.itemDouble());
            if (step % DISPLAY_STEP == 0 || step == steps) {
                out.printf("At step %d, loss = %.4f, W = %.4f, b = %.4f%n", step, fullLoss(allX, allY, w, b), w.item(),
                        b.item());
            }
        }

        LeastSquares exact = LeastSquares.fit(xs, ys);
        double gdW = w.item();
        double gdB = b.item();
        out.println();
        out.printf("%-18s %10s %10s %12s%n", "", "W", "b", "loss (all)");
        out.printf("%-18s %10.6f %10.6f %12.6f%n", "gradient descent", gdW, gdB, fullLoss(allX, allY, w, b));
        out.printf("%-18s %10.6f %10.6f %12.6f%n", "least squares", exact.slope(), exact.intercept(), exact.loss(xs, ys));
        out.printf("%-18s %10.6f %10.6f%n", "difference", gdW - exact.slope(), gdB - exact.intercept());
        out.printf("%-18s %10.6f %10.6f%n", "true line", TRUE_W, TRUE_B);
        out.println("(least squares is the lowest loss any line reaches on these points; SGD at a fixed learning rate");
        out.println(" keeps jittering around it, by an amount that shrinks with the rate and grows with the noise)");

        if (plots) {
            draw(xs, ys, gdW, gdB, batchLosses, exact.loss(xs, ys), options, out);
        }
    }

    /** The recipe's {@code reduce_mean(square(pred - y))}, written with tensor ops so the tape records it. */
    private static Tensor meanSquaredError(Tensor predictions, Tensor targets) {
        return predictions.sub(targets).square().mean();
    }

    private static double fullLoss(Tensor x, Tensor y, Variable w, Variable b) {
        try (NoGrad scope = NoGrad.enter()) {
            return meanSquaredError(x.mul(w).add(b), y).itemDouble();
        }
    }

    private void draw(float[] xs, float[] ys, double w, double b, List<Double> batchLosses, double leastSquaresLoss,
            Options options, PrintStream out) throws Exception {
        double[] px = new double[xs.length];
        double[] py = new double[ys.length];
        for (int i = 0; i < xs.length; i++) {
            px[i] = xs[i];
            py[i] = ys[i];
        }
        XYChart fit = Plots.chart("Linear regression: y = 2x - 1 + noise", "x", "y");
        Plots.points(fit, "data", px, py).setMarkerColor(new Color(70, 130, 180, 90));
        Plots.line(fit, String.format("fitted: y = %.3fx %s %.3f", w, b < 0 ? "-" : "+", Math.abs(b)),
                new double[] {-5, 5}, new double[] {-5 * w + b, 5 * w + b}).setLineWidth(2.5f);
        fit.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        Plots.save(fit, options.out(), "linear-regression.png", out);

        XYChart loss = Plots.chart("Linear regression: minibatch loss per step", "step", "MSE (log scale)");
        loss.getStyler().setYAxisLogarithmic(true);
        Plots.curve(loss, "batch loss", batchLosses);
        Plots.line(loss, "least-squares loss (the floor)", new double[] {1, batchLosses.size()},
                new double[] {leastSquaresLoss, leastSquaresLoss}).setLineWidth(2f);
        Plots.save(loss, options.out(), "linear-regression-loss.png", out);
    }

    /** Shuffled passes over the data, cut into batches; the last batch of a pass may be smaller. */
    private static final class Minibatches {
        record Batch(Tensor x, Tensor y) {
        }

        private final float[] xs;
        private final float[] ys;
        private final int batchSize;
        private final SplittableRandom random;
        private final int[] order;
        private int position;

        Minibatches(float[] xs, float[] ys, int batchSize, SplittableRandom random) {
            this.xs = xs;
            this.ys = ys;
            this.batchSize = batchSize;
            this.random = random;
            this.order = new int[xs.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            this.position = order.length;
        }

        Batch next() {
            if (position == order.length) {
                shuffle();
                position = 0;
            }
            int size = Math.min(batchSize, order.length - position);
            float[] bx = new float[size];
            float[] by = new float[size];
            for (int i = 0; i < size; i++) {
                bx[i] = xs[order[position + i]];
                by[i] = ys[order[position + i]];
            }
            position += size;
            return new Batch(Tensor.of(bx, size), Tensor.of(by, size));
        }

        private void shuffle() {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
    }

    /** The closed-form least-squares line, in double on the same float32 points the model sees. */
    record LeastSquares(double slope, double intercept) {
        static LeastSquares fit(float[] xs, float[] ys) {
            int n = xs.length;
            double meanX = 0;
            double meanY = 0;
            for (int i = 0; i < n; i++) {
                meanX += xs[i];
                meanY += ys[i];
            }
            meanX /= n;
            meanY /= n;
            double sxy = 0;
            double sxx = 0;
            for (int i = 0; i < n; i++) {
                double dx = xs[i] - meanX;
                sxy += dx * (ys[i] - meanY);
                sxx += dx * dx;
            }
            double slope = sxy / sxx;
            return new LeastSquares(slope, meanY - slope * meanX);
        }

        double loss(float[] xs, float[] ys) {
            double sum = 0;
            for (int i = 0; i < xs.length; i++) {
                double r = slope * xs[i] + intercept - ys[i];
                sum += r * r;
            }
            return sum / xs.length;
        }
    }
}
