package org.grad4j.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleFunction;
import org.grad4j.core.Seeds;
import org.grad4j.layers.Dense;
import org.grad4j.layers.InputLayer;
import org.grad4j.losses.BinaryCrossentropy;
import org.grad4j.models.FitOptions;
import org.grad4j.models.History;
import org.grad4j.models.Sequential;
import org.grad4j.optimizers.Adadelta;
import org.grad4j.optimizers.Adagrad;
import org.grad4j.optimizers.Adam;
import org.grad4j.optimizers.Optimizer;
import org.grad4j.optimizers.RMSprop;
import org.grad4j.optimizers.SGD;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One problem, six update rules, two learning rates each. Every run starts from the same weights and
 * sees the same batches in the same order, so the only difference between two rows is the rule and its
 * rate. The problem is small on purpose (a 2-16-1 network telling the points inside a circle from those
 * around it) so that the whole table takes seconds, yet not linear: until a run has bent its boundary
 * round the circle it sits near the loss of guessing the majority class, and a rate that is too small
 * shows as a curve still on its way down there when the larger rate has fit the circle.
 */
public final class OptimizersApp implements App {
    private static final double RADIUS = 0.6;
    /** Okabe and Ito's colour-blind-safe palette, one colour per rule. */
    private static final Color[] RULE_COLORS = {new Color(0, 114, 178), new Color(230, 159, 0), new Color(0, 158, 115),
        new Color(213, 94, 0), new Color(204, 121, 167), new Color(60, 60, 60)};

    /** One row of the table: a rule, the rate it runs at and why that rate was chosen. */
    record Run(String optimizer, double learningRate, String note, DoubleFunction<Optimizer> create) {
        Optimizer build() {
            return create.apply(learningRate);
        }
    }

    /** Each rule at its Keras default rate, then at a larger one (Adadelta: the rate its paper implies). */
    static List<Run> runs() {
        List<Run> runs = new ArrayList<>();
        addPair(runs, "SGD", 0.01, 0.1, "×10", SGD::new);
        addPair(runs, "SGD momentum 0.9", 0.01, 0.1, "×10", lr -> new SGD(lr, 0.9, false));
        addPair(runs, "Adagrad", 0.001, 0.01, "×10", Adagrad::new);
        addPair(runs, "Adadelta", 0.001, 1.0, "the paper's (no rate)", Adadelta::new);
        addPair(runs, "RMSprop", 0.001, 0.01, "×10", RMSprop::new);
        addPair(runs, "Adam", 0.001, 0.01, "×10", Adam::new);
        return runs;
    }

    private static void addPair(List<Run> runs, String name, double defaultRate, double largerRate, String largerNote,
            DoubleFunction<Optimizer> create) {
        runs.add(new Run(name, defaultRate, "Keras default", create));
        runs.add(new Run(name, largerRate, largerNote, create));
    }

    @Override
    public String name() {
        return "optimizers";
    }

    @Override
    public String description() {
        return "SGD, momentum, Adagrad, Adadelta, RMSprop and Adam at small and large learning rates on one problem";
    }

    @Override
    public List<Options.Spec> options() {
        return Options.withCommon(
                new Options.Spec("epochs", "20", "training epochs per run"),
                new Options.Spec("batch-size", "32", "samples per step"),
                new Options.Spec("samples", "512", "generated points, uniform in the square [-1, 1)²"),
                new Options.Spec("seed", "42", "seed of the data, the initial weights (shared by every run) and the batch order"));
    }

    public static void main(String[] args) throws Exception {
        Examples.mainOf(new OptimizersApp(), args);
    }

    @Override
    public void run(Options options, PrintStream out) throws Exception {
        int epochs = options.integer("epochs", 1);
        int batchSize = options.integer("batch-size", 1);
        int samples = options.integer("samples", 2);
        long seed = options.longValue("seed");
        boolean plots = options.plots();

        INDArray[] data = circle(samples, seed);
        INDArray x = data[0];
        INDArray y = data[1];
        double inside = y.sumNumber().doubleValue() / samples;
        out.printf("problem: %d points in [-1, 1)², label 1 inside the circle of radius %.1f (%.0f%% of them);%n", samples,
                RADIUS, 100 * inside);
        out.printf("model: Dense(16, relu) -> Dense(1, sigmoid), binary cross-entropy; %d epochs, batches of %d,"
                + " the same initial weights and batch order for every run%n", epochs, batchSize);
        double startLoss = newModel(seed).compile(new SGD(), new BinaryCrossentropy(), "accuracy").evaluate(x, y).get("loss");
        out.printf("start loss: %.4f (always guessing the share of points inside scores %.4f, with accuracy %.4f)%n%n",
                startLoss, constantGuessLoss(inside), Math.max(inside, 1 - inside));

        String format = "%-18s %13s %13s %12s %10s  %s%n";
        out.printf(format, "optimizer", "learning rate", "epoch 1 loss", "final loss", "accuracy", "rate");
        List<Run> runs = runs();
        List<List<Double>> curves = new ArrayList<>();
        for (Run run : runs) {
            Sequential model = newModel(seed);
            model.compile(run.build(), new BinaryCrossentropy(), "accuracy");
            History history = model.fit(x, y, FitOptions.epochs(epochs).batchSize(batchSize).seed(seed).verbose(0));
            Map<String, Double> end = model.evaluate(x, y);
            List<Double> losses = history.get("loss");
            curves.add(losses);
            out.printf(format, run.optimizer(), String.valueOf(run.learningRate()), String.format("%.4f", losses.get(0)),
                    String.format("%.4f", end.get("loss")), String.format("%.4f", end.get("accuracy")), run.note());
        }
        out.println();
        out.println("epoch 1 loss: the mean batch loss during the first epoch; final loss and accuracy: the trained"
                + " weights on all points.");
        out.println("note: Adadelta at Keras' default rate 0.001 barely moves. Its step is"
                + " lr * sqrt(Ex + eps) / sqrt(Eg + eps) * g, and Ex,");
        out.println("      the running mean of its own squared steps, starts at 0: the first steps are"
                + " lr * sqrt(eps) / sqrt(1 - rho^t),");
        out.println("      about a millionth of a unit per weight at lr 0.001. The paper's rule has no learning"
                + " rate (lr = 1.0 above).");

        if (plots) {
            draw(runs, curves, options, out);
        }
    }

    /** A fresh 2-16-1 network; seeding right before building gives every run the same initial weights. */
    private static Sequential newModel(long seed) {
        Seeds.set(seed);
        return new Sequential(new InputLayer(2), new Dense(16, "relu"), new Dense(1, "sigmoid"));
    }

    /** Points uniform in the square [-1, 1)², labelled 1 inside the circle of radius {@link #RADIUS}. */
    private static INDArray[] circle(int samples, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] points = new float[2 * samples];
        float[] labels = new float[samples];
        for (int i = 0; i < samples; i++) {
            double px = -1 + 2 * random.nextDouble();
            double py = -1 + 2 * random.nextDouble();
            points[2 * i] = (float) px;
            points[2 * i + 1] = (float) py;
            labels[i] = px * px + py * py < RADIUS * RADIUS ? 1f : 0f;
        }
        return new INDArray[] {Nd4j.create(points, new long[] {samples, 2}, 'c'),
            Nd4j.create(labels, new long[] {samples, 1}, 'c')};
    }

    /** The cross-entropy of always predicting the share of ones: the plateau a network first finds. */
    private static double constantGuessLoss(double share) {
        if (share <= 0 || share >= 1) {
            return 0;
        }
        return -(share * Math.log(share) + (1 - share) * Math.log(1 - share));
    }

    private void draw(List<Run> runs, List<List<Double>> curves, Options options, PrintStream out) throws Exception {
        XYChart chart = Plots.chart("One problem, six optimizers: training loss per epoch", "epoch",
                "binary cross-entropy (mean over the epoch's batches)");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendFont(chart.getStyler().getLegendFont().deriveFont(10f));
        for (int i = 0; i < runs.size(); i++) {
            Run run = runs.get(i);
            XYSeries series = Plots.curve(chart, run.optimizer() + " " + run.learningRate(), curves.get(i));
            // one colour per rule; its default rate solid, the other rate dashed
            series.setLineColor(RULE_COLORS[(i / 2) % RULE_COLORS.length]);
            if (i % 2 == 1) {
                series.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                        new float[] {6f, 4f}, 0f));
            }
        }
        Plots.save(chart, options.out(), "optimizers.png", out);
    }
}
