package org.grad4j.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.grad4j.core.Seeds;
import org.grad4j.layers.Dense;
import org.grad4j.layers.GRU;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.LSTM;
import org.grad4j.layers.Layer;
import org.grad4j.layers.RecurrentLayer;
import org.grad4j.losses.MeanSquaredError;
import org.grad4j.models.FitOptions;
import org.grad4j.models.History;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.Adam;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A recurrent network on the adding problem ({@link AddingProblem}): LSTM (or GRU) → Dense(1), mean squared error,
 * Adam. Training and test sequences are drawn from different seeds; the model's test error is printed beside the
 * baseline that always answers 1.0 (error 1/6, what a model that learned nothing scores), with a few test sequences
 * and a picture of predicted against true sums.
 */
public final class SequenceApp implements App {
    static final String PICTURE_FILE = "sequence.png";
    /** Test sequences printed one by one. */
    static final int SHOWN = 5;

    @Override
    public String name() {
        return "sequence";
    }

    @Override
    public String description() {
        return "an LSTM (or GRU) learns the adding problem; its test MSE beside the always-1.0 baseline's 1/6, and a PNG";
    }

    @Override
    public List<Options.Spec> options() {
        return Options.withCommon(
                new Options.Spec("cell", "lstm", "recurrent layer: lstm or gru"),
                new Options.Spec("units", "16", "units of the recurrent layer"),
                new Options.Spec("length", "20", "steps per sequence (one marked value in each half)"),
                new Options.Spec("train", "3000", "training sequences"),
                new Options.Spec("test", "500", "test sequences"),
                new Options.Spec("epochs", "8", "training epochs"),
                new Options.Spec("batch-size", "32", "sequences per training step"),
                new Options.Spec("lr", "0.01", "Adam's learning rate"),
                new Options.Spec("seed", "42", "seeds the sequences, the initial weights and the shuffling"));
    }

    public static void main(String[] args) throws Exception {
        Examples.mainOf(new SequenceApp(), args);
    }

    @Override
    public void run(Options options, PrintStream out) throws Exception {
        String cell = options.choice("cell", List.of("lstm", "gru"));
        int units = options.integer("units", 1);
        int length = options.integer("length", 2);
        int trainCount = options.integer("train", 1);
        int testCount = options.integer("test", 1);
        int epochs = options.integer("epochs", 1);
        int batchSize = options.integer("batch-size", 1);
        double learningRate = options.number("lr", 0);
        long seed = options.longValue("seed");

        AddingProblem train = AddingProblem.generate(trainCount, length, seed);
        AddingProblem test = AddingProblem.generate(testCount, length, testSeed(seed));
        out.printf(Locale.ROOT, "adding problem: %d training and %d test sequences of %d steps (value in [0, 1), marker); "
                + "target: the sum of the two marked values%n", trainCount, testCount, length);

        Layer.resetNameCounters();
        Seeds.set(seed);
        RecurrentLayer<?> recurrent = cell.equals("lstm") ? new LSTM(units) : new GRU(units);
        Sequential model = new Sequential(new InputLayer(length, AddingProblem.FEATURES), recurrent, new Dense(1));
        out.print(model.summaryString());
        model.compile(new Adam(learningRate), new MeanSquaredError());

        EpochClock clock = new EpochClock(epochs, List.of("loss", "val_loss"), out);
        History history = model.fit(train.inputs(), train.targets(), FitOptions.epochs(epochs).batchSize(batchSize)
                .validationData(test.inputs(), test.targets()).verbose(0).callbacks(clock));
        double seconds = clock.seconds().stream().mapToDouble(Double::doubleValue).sum();

        INDArray predicted = model.predict(test.inputs());
        double modelMse = meanSquaredError(predicted, test.targets());
        double baselineMse = test.constantMse(AddingProblem.BASELINE_ANSWER);
        out.printf(Locale.ROOT, "training: %d epochs in %.1f s%n", epochs, seconds);
        for (int n = 0; n < Math.min(SHOWN, testCount); n++) {
            int[] marked = test.marked(n);
            out.printf(Locale.ROOT, "test sequence %d: marked steps %d and %d, values %.3f + %.3f = %.3f, predicted %.3f%n",
                    n, marked[0], marked[1], test.inputs().getDouble(n, marked[0], 0),
                    test.inputs().getDouble(n, marked[1], 0), test.targets().getDouble(n, 0), predicted.getDouble(n, 0));
        }
        out.printf(Locale.ROOT, "test MSE: %s %.4f - baseline (always %.1f) %.4f (expected 1/6 = %.4f)%n",
                cell, modelMse, AddingProblem.BASELINE_ANSWER, baselineMse, AddingProblem.BASELINE_MSE);
        out.printf(Locale.ROOT, "the %s's error is %.1f%% of the baseline's%n", cell, 100 * modelMse / baselineMse);

        if (options.plots()) {
            Plots.save(predictedAgainstTrue(cell, test, predicted, modelMse, baselineMse), options.out(), PICTURE_FILE, out);
        }
    }

    /** The test sequences' seed: a stream of their own, so they do not repeat the training sequences' draws. */
    static long testSeed(long seed) {
        return seed ^ 0x5DEECE66DL;
    }

    /** The mean over samples of the squared difference, in double precision. */
    static double meanSquaredError(INDArray predicted, INDArray targets) {
        double sum = 0;
        long n = targets.size(0);
        for (long i = 0; i < n; i++) {
            double error = predicted.getDouble(i, 0) - targets.getDouble(i, 0);
            sum += error * error;
        }
        return sum / n;
    }

    /** Each test sequence as a point (true sum, predicted sum), the diagonal a perfect model lies on, and the baseline. */
    private static XYChart predictedAgainstTrue(String cell, AddingProblem test, INDArray predicted, double modelMse,
            double baselineMse) {
        int n = test.samples();
        double[] truth = new double[n];
        double[] guess = new double[n];
        for (int i = 0; i < n; i++) {
            truth[i] = test.targets().getDouble(i, 0);
            guess[i] = predicted.getDouble(i, 0);
        }
        XYChart chart = Plots.chart(String.format(Locale.ROOT, "adding problem: %d test sequences of %d steps", n,
                        test.inputs().size(1)),
                "true sum of the two marked values", "predicted sum");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        Plots.points(chart, String.format(Locale.ROOT, "%s (MSE %.4f)", cell, modelMse), truth, guess);
        Plots.line(chart, "perfect: predicted = true", new double[] {0, 2}, new double[] {0, 2});
        XYSeries baseline = Plots.line(chart, String.format(Locale.ROOT, "baseline: always 1.0 (MSE %.4f)", baselineMse),
                new double[] {0, 2}, new double[] {1, 1});
        baseline.setLineStyle(SeriesLines.DASH_DASH);
        return chart;
    }
}
