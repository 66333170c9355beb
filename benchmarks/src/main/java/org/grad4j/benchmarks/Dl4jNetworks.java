package org.grad4j.benchmarks;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The DL4J side of each workload: a {@link MultiLayerNetwork} built to the same math as grad4j's model
 * (float32, same layer widths, activations, loss and update rule) and started from the same weights.
 */
final class Dl4jNetworks {
    private Dl4jNetworks() {
    }

    /** W1–W3: one output unit on one input, {@code activation(x·w (+ b))}. */
    static MultiLayerNetwork singleUnit(InitialWeights weights, Activation activation, LossFunction loss, IUpdater updater) {
        boolean bias = weights.biases() != null;
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .seed(1)
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .updater(updater)
                .list()
                .layer(new OutputLayer.Builder(loss).nIn(1).nOut(1).hasBias(bias).activation(activation).build())
                .build();
        return withWeights(new MultiLayerNetwork(conf), weights);
    }

    /** W4/W5: ReLU hidden layers, then softmax with multi-class cross-entropy. */
    static MultiLayerNetwork mlp(InitialWeights weights, int[] widths, IUpdater updater) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .seed(1)
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .updater(updater)
                .list();
        int last = widths.length - 2;
        for (int l = 0; l < last; l++) {
            list.layer(new DenseLayer.Builder().nIn(widths[l]).nOut(widths[l + 1]).activation(Activation.RELU).build());
        }
        list.layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(widths[last]).nOut(widths[last + 1])
                .activation(Activation.SOFTMAX).build());
        return withWeights(new MultiLayerNetwork(list.build()), weights);
    }

    /** W6: one ReLU hidden layer, then softmax with DL4J's sparse multi-class cross-entropy (labels {@code [N, 1]}). */
    static MultiLayerNetwork tutorial(InitialWeights weights, int[] widths, IUpdater updater) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .seed(1)
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .updater(updater)
                .list()
                .layer(new DenseLayer.Builder().nIn(widths[0]).nOut(widths[1]).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.SPARSE_MCXENT).nIn(widths[1]).nOut(widths[2])
                        .activation(Activation.SOFTMAX).build())
                .build();
        return withWeights(new MultiLayerNetwork(conf), weights);
    }

    /**
     * W7: the Keras convnet example as DL4J writes it, NCHW (its default; with one input channel the images' memory
     * is the same as channels_last): conv 3×3 ×32 relu, max-pool 2, conv 3×3 ×64 relu, max-pool 2, dropout 0.5
     * on the output layer's input (DL4J's {@code dropOut} takes the probability to keep: 0.5 either way), softmax with
     * multi-class cross-entropy; started from {@code weights} in DL4J's layouts.
     */
    static MultiLayerNetwork convnet(ConvnetWeights weights, IUpdater updater) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .seed(1)
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .updater(updater)
                .list()
                .layer(new ConvolutionLayer.Builder(ConvnetWeights.KERNEL, ConvnetWeights.KERNEL).nOut(ConvnetWeights.FILTERS1)
                        .activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(ConvnetWeights.KERNEL, ConvnetWeights.KERNEL).nOut(ConvnetWeights.FILTERS2)
                        .activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(FashionData.CLASSES).dropOut(0.5)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(FashionData.SIDE, FashionData.SIDE, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.setParam("0_W", ConvnetWeights.dl4jKernel(weights.conv1()));
        net.setParam("2_W", ConvnetWeights.dl4jKernel(weights.conv2()));
        net.setParam("4_W", weights.dl4jDense());
        return net;   // biases start at zero, DL4J's default as Keras'
    }

    private static MultiLayerNetwork withWeights(MultiLayerNetwork net, InitialWeights weights) {
        net.init();
        for (int l = 0; l < weights.layers(); l++) {
            net.setParam(l + "_W", weights.kernels().get(l));
            if (weights.biases() != null) {
                net.setParam(l + "_b", weights.biases().get(l).reshape(1, weights.biases().get(l).length()));
            }
        }
        return net;
    }
}
