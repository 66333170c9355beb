package org.grad4j.layers;

import java.util.List;
import java.util.Map;
import org.grad4j.core.Tensor;
import org.grad4j.core.internal.ConfigReader;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras' LSTM. The four gate blocks of kernel {@code [features, 4*units]}, recurrent_kernel {@code [units, 4*units]}
 * and bias {@code [4*units]} are in Keras' order i, f, c, o: with {@code z = x_t · kernel + h · recurrent_kernel +
 * bias}, {@code c = f*c + i*activation(z_c)} and {@code h = o*activation(c)}, where i, f, o are the recurrent
 * activation (sigmoid) of their blocks. States h and c start at zero; {@link #callWithState} returns
 * {@code [output, h, c]}. With unit_forget_bias (the default) the forget block of the bias starts at one.
 */
public class LSTM extends RecurrentLayer<LSTM> {
    private final ActivationFunction recurrentActivation;
    private boolean unitForgetBias = true;

    /** With tanh and sigmoid, Keras' defaults. */
    public LSTM(int units) {
        this(units, Activations.get("tanh"), Activations.get("sigmoid"));
    }

    /** With activation and recurrent activation by Keras name (null means linear). */
    public LSTM(int units, String activation, String recurrentActivation) {
        this(units, Activations.get(activation), Activations.get(recurrentActivation));
    }

    public LSTM(int units, ActivationFunction activation, ActivationFunction recurrentActivation) {
        super(units, activation);
        this.recurrentActivation = recurrentActivation == null ? Activations.LINEAR : recurrentActivation;
    }

    /** Whether the forget gate's bias starts at one (default true, as Keras). */
    public LSTM unitForgetBias(boolean unitForgetBias) {
        requireNotBuilt("unitForgetBias");
        this.unitForgetBias = unitForgetBias;
        return this;
    }

    public boolean unitForgetBias() {
        return unitForgetBias;
    }

    public ActivationFunction recurrentActivation() {
        return recurrentActivation;
    }

    @Override
    protected int gates() {
        return 4;
    }

    @Override
    protected int stateCount() {
        return 2;
    }

    @Override
    protected Initializer effectiveBiasInitializer() {
        Initializer base = super.effectiveBiasInitializer();
        if (!unitForgetBias) {
            return base;
        }
        // Keras: the bias initializer for the i block, ones for f, the initializer again for c and o
        return new Initializer() {
            @Override
            public INDArray init(long[] shape, org.nd4j.linalg.api.buffer.DataType dtype) {
                INDArray first = base.init(new long[] {units}, dtype);
                INDArray forget = org.nd4j.linalg.factory.Nd4j.ones(dtype, units);
                INDArray rest = base.init(new long[] {2L * units}, dtype);
                return org.nd4j.linalg.factory.Nd4j.concat(0, first, forget, rest);
            }

            @Override
            public String kerasName() {
                return base.kerasName();
            }

            @Override
            public Map<String, Object> config() {
                return base.config();
            }
        };
    }

    @Override
    protected Step step() {
        Tensor recurrent = recurrentKernel();
        return (projected, states) -> {
            Tensor z = projected.add(states.get(0).matmul(recurrent));
            Tensor i = recurrentActivation.apply(z.slice(1, 0, units));
            Tensor f = recurrentActivation.apply(z.slice(1, units, 2L * units));
            Tensor g = activation.apply(z.slice(1, 2L * units, 3L * units));
            Tensor o = recurrentActivation.apply(z.slice(1, 3L * units, 4L * units));
            Tensor c = f.mul(states.get(1)).add(i.mul(g));
            return List.of(o.mul(activation.apply(c)), c);
        };
    }

    @Override
    protected void putCellConfig(Map<String, Object> config) {
        config.put("recurrent_activation", recurrentActivation.kerasName());
        config.put("unit_forget_bias", unitForgetBias);
    }

    static LSTM fromConfig(Map<String, Object> config) {
        ConfigReader read = new ConfigReader("LSTM.fromConfig", config);
        LSTM lstm = new LSTM(read.integer("units"), activation(config, "activation", "tanh"),
                activation(config, "recurrent_activation", "sigmoid"));
        lstm.unitForgetBias(read.bool("unit_forget_bias", true));
        return readCommon(lstm, config);
    }
}
