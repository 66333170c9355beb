package org.grad4j.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Numerical gradient checking with float64 central differences, for grad4j's own ops and for users'
 * ops and layers. While it evaluates the function, {@link Tensor#defaultFloatType()} is float64 on the
 * calling thread, so constants the function makes from doubles match its float64 inputs.
 *
 * <p>The function's output is projected on a fixed random tensor {@code r} (so every output element
 * counts), {@code L = sum(f(x) * r)}; the analytic gradient of {@code L} from one backward pass is
 * compared with {@code (L(x + h) - L(x - h)) / 2h} for every element of every input. The error of one
 * element is {@code |analytic - numeric| / max(|analytic|, |numeric|, 1e-3)}: relative for gradients of
 * normal size, with a floor so that gradients near zero are not judged by their round-off.
 */
public final class GradientCheck {
    /**
     * The default step {@code h}. Round-off in the summed loss, divided by {@code 2h}, grows as h shrinks,
     * and the truncation error of central differences grows as h²: 1e-5 keeps both near 1e-10 for
     * losses of ordinary size (1e-6 let round-off reach 1e-6 relative near the error floor).
     */
    public static final double EPSILON = 1e-5;

    private GradientCheck() {
    }

    /** The largest error over all input elements (see the class comment); inputs are copied to float64. */
    public static double check(Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {
        return check(f, inputs, EPSILON);
    }

    /** As {@link #check(Function, List)} with step {@code h}. */
    public static double check(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, double h) {
        DataType previous = FloatTypes.scope(DataType.DOUBLE);
        try {
            return checkInFloat64(f, inputs, h);
        } finally {
            FloatTypes.scope(previous);
        }
    }

    private static double checkInFloat64(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, double h) {
        List<Tensor> xs = new ArrayList<>();
        for (Tensor t : inputs) {
            xs.add(Tensor.of(t.array().castTo(DataType.DOUBLE).dup()).requiresGrad(true));
        }
        Tensor out = f.apply(xs);
        if (out.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("GradientCheck: the function returned " + out.dataType()
                    + "; it must compute in float64 on float64 inputs (constants from Tensor.of(double[]) and"
                    + " Tensor.scalar(double) are float64 here; an INDArray or float[] constant needs castTo(DataType.DOUBLE))");
        }
        Tensor projection = Tensor.of(Seeds.uniform(new SplittableRandom(1234), out.shape(), 0.5, 1.5).castTo(DataType.DOUBLE));
        out.mul(projection).sum().backward();

        double worst = 0;
        for (int i = 0; i < xs.size(); i++) {
            Tensor x = xs.get(i);
            Tensor g = x.grad();
            if (g != null && !Arrays.equals(g.shape(), x.shape())) {
                throw new IllegalStateException("GradientCheck: the gradient of input " + i + " has shape "
                        + Shapes.format(g.shape()) + " but the input has shape " + Shapes.format(x.shape()));
            }
            double[] analytic = g == null ? new double[(int) x.size()] : g.toDoubleArray();
            // x is a fresh c-order copy: linear indices address its elements
            worst = Math.max(worst, worstError(x.array(), analytic, h, () -> projected(f, xs, projection)));
        }
        return worst;
    }

    /**
     * Checks the gradients of a scalar loss with respect to float64 variables (a layer's weights, say):
     * the analytic gradients from one tape are compared with central differences obtained by nudging
     * each element of each variable in place (restored afterwards). Same error measure as
     * {@link #check(Function, List)}.
     */
    public static double checkVariables(Supplier<Tensor> loss, List<? extends Variable> variables) {
        return checkVariables(loss, variables, EPSILON);
    }

    /** As {@link #checkVariables(Supplier, List)} with step {@code h}. */
    public static double checkVariables(Supplier<Tensor> loss, List<? extends Variable> variables, double h) {
        DataType previous = FloatTypes.scope(DataType.DOUBLE);
        try {
            return checkVariablesInFloat64(loss, variables, h);
        } finally {
            FloatTypes.scope(previous);
        }
    }

    private static double checkVariablesInFloat64(Supplier<Tensor> loss, List<? extends Variable> variables, double h) {
        for (Variable v : variables) {
            if (v.dataType() != DataType.DOUBLE) {
                throw new IllegalArgumentException("GradientCheck.checkVariables: variable " + v.name() + " is "
                        + v.dataType() + "; gradient checks need float64 variables");
            }
        }
        GradientTape tape = GradientTape.open();
        Tensor value;
        try (tape) {
            tape.watch(new ArrayList<>(variables));
            value = loss.get();
        }
        if (value.size() != 1) {
            throw new IllegalArgumentException("GradientCheck.checkVariables: the loss has shape "
                    + Shapes.format(value.shape()) + "; it must be a scalar");
        }
        List<Tensor> grads = tape.gradient(value, new ArrayList<Tensor>(variables), UnconnectedGradients.ZERO);
        double worst = 0;
        for (int i = 0; i < variables.size(); i++) {
            double[] analytic = grads.get(i).toDoubleArray();
            worst = Math.max(worst, worstError(variables.get(i).array(), analytic, h, () -> scalar(loss)));
        }
        return worst;
    }

    /**
     * Nudges each element of {@code x} by ±h in place (restoring it), evaluates {@code value} on both sides
     * and returns the largest error of {@code analytic} against the central difference.
     */
    private static double worstError(INDArray x, double[] analytic, double h, DoubleSupplier value) {
        double worst = 0;
        for (int j = 0; j < analytic.length; j++) {
            double original = x.getDouble(j);
            x.putScalar(j, original + h);
            double plus = value.getAsDouble();
            x.putScalar(j, original - h);
            double minus = value.getAsDouble();
            x.putScalar(j, original);
            double numeric = (plus - minus) / (2 * h);
            double scale = Math.max(Math.max(Math.abs(analytic[j]), Math.abs(numeric)), 1e-3);
            worst = Math.max(worst, Math.abs(analytic[j] - numeric) / scale);
        }
        return worst;
    }

    private static double scalar(Supplier<Tensor> loss) {
        try (NoGrad scope = NoGrad.enter()) {
            return loss.get().itemDouble();
        }
    }

    private static double projected(Function<List<Tensor>, Tensor> f, List<Tensor> xs, Tensor projection) {
        try (NoGrad scope = NoGrad.enter()) {
            return f.apply(xs).mul(projection).sum().itemDouble();
        }
    }
}
