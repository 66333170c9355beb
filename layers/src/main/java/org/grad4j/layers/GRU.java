package org.grad4j.layers;

import java.util.List;
import java.util.Map;
import org.grad4j.core.Tensor;
import org.grad4j.core.internal.ConfigReader;

/**
 * Keras' GRU. The three gate blocks of kernel {@code [features, 3*units]} and recurrent_kernel
 * {@code [units, 3*units]} are in Keras' order z, r, h, and {@code h_new = z*h + (1-z)*hh}. With reset_after (the
 * default, as Keras 3 and cuDNN) the bias is {@code [2, 3*units]}, row 0 for the inputs and row 1 for the recurrence,
 * and the reset gate multiplies the recurrent projection: {@code hh = activation(x·K_h + b0_h + r*(h·R_h + b1_h))}.
 * Without it the bias is {@code [3*units]} and {@code hh = activation(x·K_h + b_h + (r*h)·R_h)}.
 */
public class GRU extends RecurrentLayer<GRU> {
    private final ActivationFunction recurrentActivation;
    private boolean resetAfter = true;

    /** With tanh and sigmoid, Keras' defaults. */
    public GRU(int units) {
        this(units, Activations.get("tanh"), Activations.get("sigmoid"));
    }

    /** With activation and recurrent activation by Keras name (null means linear). */
    public GRU(int units, String activation, String recurrentActivation) {
        this(units, Activations.get(activation), Activations.get(recurrentActivation));
    }

    public GRU(int units, ActivationFunction activation, ActivationFunction recurrentActivation) {
        super(units, activation);
        this.recurrentActivation = recurrentActivation == null ? Activations.LINEAR : recurrentActivation;
    }

    /** Apply the reset gate after the recurrent projection (default true) or before it (Keras 2's original GRU). */
    public GRU resetAfter(boolean resetAfter) {
        requireNotBuilt("resetAfter");
        this.resetAfter = resetAfter;
        return this;
    }

    public boolean resetAfter() {
        return resetAfter;
    }

    public ActivationFunction recurrentActivation() {
        return recurrentActivation;
    }

    @Override
    protected int gates() {
        return 3;
    }

    @Override
    protected long[] biasShape() {
        return resetAfter ? new long[] {2, 3L * units} : super.biasShape();
    }

    @Override
    protected Tensor projectionBias() {
        Tensor bias = bias();
        return bias == null || !resetAfter ? bias : bias.slice(0, 0, 1).reshape(3L * units);
    }

    @Override
    protected Step step() {
        long u = units;
        Tensor recurrent = recurrentKernel();
        if (resetAfter) {
            Tensor recurrentBias = bias() == null ? null : bias().slice(0, 1, 2).reshape(3 * u);
            return (projected, states) -> {
                Tensor h = states.get(0);
                Tensor hr = h.matmul(recurrent);
                if (recurrentBias != null) {
                    hr = hr.add(recurrentBias);
                }
                Tensor z = recurrentActivation.apply(projected.slice(1, 0, u).add(hr.slice(1, 0, u)));
                Tensor r = recurrentActivation.apply(projected.slice(1, u, 2 * u).add(hr.slice(1, u, 2 * u)));
                Tensor hh = activation.apply(projected.slice(1, 2 * u, 3 * u).add(r.mul(hr.slice(1, 2 * u, 3 * u))));
                return List.of(z.mul(h).add(z.rsub(1.0).mul(hh)));
            };
        }
        Tensor gatesKernel = recurrent.slice(1, 0, 2 * u);   // cut once per call, not once per step
        Tensor candidateKernel = recurrent.slice(1, 2 * u, 3 * u);
        return (projected, states) -> {
            Tensor h = states.get(0);
            Tensor hr = h.matmul(gatesKernel);
            Tensor z = recurrentActivation.apply(projected.slice(1, 0, u).add(hr.slice(1, 0, u)));
            Tensor r = recurrentActivation.apply(projected.slice(1, u, 2 * u).add(hr.slice(1, u, 2 * u)));
            Tensor hh = activation.apply(projected.slice(1, 2 * u, 3 * u).add(r.mul(h).matmul(candidateKernel)));
            return List.of(z.mul(h).add(z.rsub(1.0).mul(hh)));
        };
    }

    @Override
    protected void putCellConfig(Map<String, Object> config) {
        config.put("recurrent_activation", recurrentActivation.kerasName());
        config.put("reset_after", resetAfter);
    }

    static GRU fromConfig(Map<String, Object> config) {
        ConfigReader read = new ConfigReader("GRU.fromConfig", config);
        GRU gru = new GRU(read.integer("units"), activation(config, "activation", "tanh"),
                activation(config, "recurrent_activation", "sigmoid"));
        gru.resetAfter(read.bool("reset_after", true));
        return readCommon(gru, config);
    }
}
