package org.grad4j.examples;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.grad4j.core.GradientTape;
import org.grad4j.core.Tensor;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The autograd basics of the PyTorch and TensorFlow texts, one block each: a first gradient,
 * accumulation and zeroing, a higher power, a persistent tape over two affine maps, and gradient
 * descent on a quartic, drawn as the curve with the points the descent visited.
 */
public final class AutodiffTour implements App {
    /** Path points closer than this along x would overlap in the picture. */
    private static final double PATH_SPACING = 0.05;

    @Override
    public String name() {
        return "autodiff-tour";
    }

    @Override
    public String description() {
        return "PyTorch backward() and TensorFlow GradientTape basics, with gradient descent on a quartic";
    }

    @Override
    public List<Options.Spec> options() {
        return Options.withCommon(new Options.Spec("steps", "15000", "gradient-descent steps on the quartic"));
    }

    public static void main(String[] args) throws Exception {
        Examples.mainOf(new AutodiffTour(), args);
    }

    @Override
    public void run(Options options, PrintStream out) throws IOException {
        int steps = options.integer("steps", 1);
        // y = x^2 at x = 4: dy/dx = 2x = 8
        Tensor x = Tensor.scalar(4f).requiresGrad(true);
        Tensor y = x.mul(x);
        y.backward();
        out.println("y = x*x at x = 4: gradFn = " + y.gradFn() + ", dy/dx = " + x.grad().item());

        // y = x^3 at x = 5: every backward(true) adds 3x^2 = 75 to x.grad until it is zeroed
        Tensor x5 = Tensor.scalar(5f).requiresGrad(true);
        Tensor cube = x5.pow(3);
        for (int i = 1; i <= 3; i++) {
            cube.backward(true);
            out.println("backward #" + i + " without zeroGrad: x.grad = " + x5.grad().item());
        }
        for (int i = 1; i <= 3; i++) {
            x5.zeroGrad();
            cube.backward(true);
            out.println("backward #" + i + " after zeroGrad:   x.grad = " + x5.grad().item());
        }

        // d/dx x^6 = 6x^5 = 18750 at x = 5
        Tensor x6 = Tensor.scalar(5f).requiresGrad(true);
        x6.pow(6).backward();
        out.println("d/dx x^6 at x = 5: " + x6.grad().item());

        // A persistent tape: y1 = x*w1 + b1, y2 = y1*w2 + b2
        Tensor in = Tensor.scalar(1f);
        Tensor w1 = Tensor.scalar(2f);
        Tensor b1 = Tensor.scalar(1f);
        Tensor w2 = Tensor.scalar(2f);
        Tensor b2 = Tensor.scalar(1f);
        Tensor y1;
        Tensor y2;
        GradientTape tape = GradientTape.persistent();
        try (tape) {
            tape.watch(w1, b1, w2, b2);
            y1 = in.mul(w1).add(b1);
            y2 = y1.mul(w2).add(b2);
        }
        out.println("dy2/dy1 = " + tape.gradient(y2, y1).item() + ", dy1/dw1 = " + tape.gradient(y1, w1).item()
                + ", dy2/dw1 = " + tape.gradient(y2, w1).item());
        List<Tensor> both = tape.gradient(y2, List.of(w2, b2));
        out.println("dy2/dw2 = " + both.get(0).item() + ", dy2/db2 = " + both.get(1).item());

        // Gradient descent on f(x) = 2x^4 - 3x^2 + 2x - 20, whose minimum is f(-1) = -23
        double learningRate = 0.001;
        Tensor xq = Tensor.scalar(0f).requiresGrad(true);
        Tensor f = null;
        List<double[]> path = new ArrayList<>();   // (x, f(x)) wherever x has moved visibly since the last point
        for (int step = 1; step <= steps; step++) {
            double before = xq.item();
            f = xq.pow(4).mul(2.0).sub(xq.square().mul(3.0)).add(xq.mul(2.0)).sub(20.0);
            if (path.isEmpty() || Math.abs(before - path.get(path.size() - 1)[0]) >= PATH_SPACING) {
                path.add(new double[] {before, f.item()});
            }
            xq.clearGrad();
            f.backward();
            xq.array().subi(xq.grad().array().mul(learningRate));
            if (step % 3000 == 0 || step == steps) {
                out.printf("step %5d: x = %.6f, f(x) = %.6f%n", step, xq.item(), f.item());
            }
        }
        out.printf("minimum found at x = %.4f, f = %.4f (exact: x = -1, f = -23)%n", xq.item(), f == null ? Double.NaN : f.item());
        if (options.plots()) {
            path.add(new double[] {xq.item(), quartic(xq.item())});
            drawDescent(path, learningRate, steps, options, out);
        }
    }

    private static double quartic(double x) {
        return 2 * Math.pow(x, 4) - 3 * x * x + 2 * x - 20;
    }

    /** The quartic over [-1.6, 1.4] with the points gradient descent visited on its way down to x = -1. */
    private static void drawDescent(List<double[]> path, double learningRate, int steps, Options options, PrintStream out)
            throws IOException {
        int n = 301;
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = -1.6 + 3.0 * i / (n - 1);
            ys[i] = quartic(xs[i]);
        }
        XYChart chart = Plots.chart("Gradient descent on f(x) = 2x^4 - 3x^2 + 2x - 20", "x", "f(x)");
        chart.getStyler().setMarkerSize(8);
        Plots.line(chart, "f(x)", xs, ys).setLineColor(new Color(120, 120, 120));
        double[] px = path.stream().mapToDouble(p -> p[0]).toArray();
        double[] py = path.stream().mapToDouble(p -> p[1]).toArray();
        Plots.points(chart, String.format("descent from x = 0, lr %s, %d steps", learningRate, steps), px, py)
                .setMarkerColor(new Color(220, 80, 40));
        Plots.points(chart, "minimum f(-1) = -23", new double[] {-1}, new double[] {-23})
                .setMarker(SeriesMarkers.DIAMOND).setMarkerColor(new Color(30, 120, 60));
        Plots.save(chart, options.out(), "autodiff-tour.png", out);
    }
}
