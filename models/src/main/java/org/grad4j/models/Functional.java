package org.grad4j.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.layers.KerasTensor;
import org.grad4j.layers.Layer;
import org.grad4j.layers.LayerNode;
import org.grad4j.layers.ListCallable;
import org.grad4j.losses.Loss;
import org.grad4j.losses.Losses;
import org.grad4j.metrics.Metric;
import org.grad4j.optimizers.Optimizer;
import org.grad4j.optimizers.Optimizers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras' functional model: the graph of layer calls between symbolic inputs ({@link Input#of}) and outputs,
 * run in topological order. A layer called twice is shared (one set of weights; the gradients of both calls
 * add up), a model called on a symbolic tensor is one layer of the graph, and any layer may read any earlier
 * tensor (skip connections).
 *
 * <pre>{@code
 * Tensor a = Input.of(new long[] {784}, "pixels");   Tensor b = Input.of(new long[] {10}, "meta");
 * Tensor h = new Dense(64, "relu").apply(a);
 * Tensor out = new Dense(10).apply(new Concatenate().apply(List.of(h, b)));
 * Model f = Model.of(List.of(a, b), List.of(out));
 * }</pre>
 *
 * <p>With one input and one output it is used exactly as a Sequential. With several, inputs and targets are
 * lists of arrays in the order of {@link #inputNames()} and {@link #outputNames()} (or maps by those names), and
 * {@link #predictAll} returns one array per output. An output's name is the name of the layer that produced it,
 * as in Keras.
 */
public class Functional extends Model implements ListCallable {
    private final FunctionalGraph graph;
    /** How several inputs travel as one array through the training loop; null with one input. */
    private final Packing inputPacking;
    /** How several outputs travel as one array; null with one output. */
    private final Packing outputPacking;
    private final NamedArrays arrays = new NamedArrays(this);

    /** A model from {@code inputs} to {@code outputs}, symbolic tensors of one graph. */
    public Functional(List<? extends Tensor> inputs, List<? extends Tensor> outputs) {
        this(inputs, outputs, null);
    }

    /** A model of one input and one output. */
    public Functional(Tensor input, Tensor output) {
        this(List.of(input), List.of(output), null);
    }

    /** A model named {@code name} (automatic, {@code functional}, ..., when null). */
    public Functional(List<? extends Tensor> inputs, List<? extends Tensor> outputs, String name) {
        if (name != null) {
            name(name);
        }
        FunctionalGraph g;
        try {
            g = FunctionalGraph.of(describe(), inputs, outputs);
        } catch (RuntimeException e) {
            throw invalidArgument(e.getMessage());
        }
        this.graph = g;
        DataType type = g.inputs.get(0).dataType();
        if (type.isFPType() && type != dtype()) {
            dtype(type);   // a float64 graph packs and predicts in float64
        }
        this.inputPacking = g.inputs.size() == 1 ? null
                : Packing.of(describe(), inputNames(), g.inputs.stream().map(Functional::sampleShape).toList());
        this.outputPacking = g.outputs.size() == 1 ? null
                : Packing.of(describe(), outputNames(), g.outputs.stream().map(Functional::sampleShape).toList());
        markBuilt(inputPacking == null || !inputPacking.known() ? g.inputs.get(0).shape()
                : new long[] {-1, inputPacking.width()});
    }

    static long[] sampleShape(KerasTensor t) {
        long[] s = t.shape();
        return Arrays.copyOfRange(s, 1, s.length);
    }

    // ---------------------------------------------------------------- structure

    /** Keras' {@code model.layers} of a functional model: ordered from the inputs, InputLayers included. */
    @Override
    public List<Layer> layers() {
        return graph.layers;
    }

    /** The symbolic inputs, in order. */
    public List<KerasTensor> inputs() {
        return graph.inputs;
    }

    /** The symbolic outputs, in order. */
    public List<KerasTensor> outputs() {
        return graph.outputs;
    }

    /** The names of the inputs (their InputLayers' names), in order. */
    public List<String> inputNames() {
        return graph.inputs.stream().map(t -> t.layer().name()).toList();
    }

    /** The names of the outputs: the names of the layers that produced them, in order. */
    public List<String> outputNames() {
        return graph.outputs.stream().map(t -> t.layer().name()).toList();
    }

    /**
     * The graph's layer calls, each after the calls whose outputs it reads (the inputs' calls first): the order
     * {@link #call(List, boolean)} runs them in. A shared layer appears once per call.
     */
    public List<LayerNode> nodes() {
        return graph.nodes;
    }

    FunctionalGraph graph() {
        return graph;
    }

    Packing inputPacking() {
        return inputPacking;
    }

    Packing outputPacking() {
        return outputPacking;
    }

    // ---------------------------------------------------------------- forward

    /**
     * The forward pass on one value per input, in order; returns one value per output. Each input is checked
     * against its declared shape first.
     */
    public List<Tensor> call(List<? extends Tensor> inputs, boolean training) {
        Objects.requireNonNull(inputs, () -> describe() + ": the inputs are null");
        List<Tensor> symbolic = ListCallable.recordIfSymbolic(this, inputs);
        if (symbolic != null) {
            return symbolic;   // this model is one node of another graph
        }
        if (inputs.size() != graph.inputs.size()) {
            throw new IllegalArgumentException(describe() + ": expects " + graph.inputs.size() + " inputs " + inputNames()
                    + ", got " + inputs.size());
        }
        Map<KerasTensor, Tensor> values = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            KerasTensor declared = graph.inputs.get(i);
            Tensor value = Objects.requireNonNull(inputs.get(i), () -> describe() + ": input " + inputs.size() + " is null");
            requireShape(declared, value.shape());
            values.put(declared, value);
        }
        for (LayerNode node : graph.nodes) {
            if (node.inputs().isEmpty()) {
                continue;   // an input's node: its value is given
            }
            List<Tensor> args = new ArrayList<>();
            for (KerasTensor in : node.inputs()) {
                args.add(values.get(in));
            }
            List<Tensor> outs = node.run(args, training);
            for (int i = 0; i < node.outputs().size(); i++) {
                values.put(node.outputs().get(i), outs.get(i));
            }
        }
        List<Tensor> out = new ArrayList<>();
        for (KerasTensor o : graph.outputs) {
            out.add(values.get(o));
        }
        return out;
    }

    /** {@link #call(List, boolean)}: how an enclosing graph calls a model of several inputs or outputs. */
    @Override
    public List<Tensor> callList(List<? extends Tensor> inputs, boolean training) {
        return call(inputs, training);
    }

    /** Whether an enclosing graph must call this model with lists ({@link #call(List, boolean)}). */
    boolean takesLists() {
        return inputPacking != null || outputPacking != null;
    }

    private void requireShape(KerasTensor declared, long[] shape) {
        long[] expected = declared.shape();
        boolean ok = shape.length == expected.length;
        for (int d = 1; ok && d < shape.length; d++) {
            ok = expected[d] < 0 || expected[d] == shape[d];
        }
        if (!ok) {
            throw new IllegalArgumentException(describe() + ": input \"" + declared.layer().name() + "\" expects shape "
                    + Shapes.format(expected) + ", got " + Shapes.format(shape));
        }
    }

    /**
     * The one-tensor forward pass: with one input and one output, that input and output. With several inputs,
     * {@code inputs} holds them packed side by side ({@code [batch, sum of per-sample sizes]}, each sample's values
     * in row-major order), and with several outputs the result is packed the same way: how they go through
     * {@code fit}, {@code evaluate} and {@code predict}. Use {@link #call(List, boolean)} to pass them separately.
     */
    @Override
    public Tensor call(Tensor inputs, boolean training) {
        List<Tensor> ins = inputPacking == null ? List.of(inputs) : unpackInputs(inputs);
        List<Tensor> outs = call(ins, training);
        if (outputPacking == null) {
            return outs.get(0);
        }
        Tensor packed = outputPacking.pack(outs);
        OutputMask.attachPacked(packed, outs);   // each output's loss applies its own mask
        return packed;
    }

    private List<Tensor> unpackInputs(Tensor packed) {
        if (!inputPacking.known()) {
            throw new IllegalArgumentException(describe() + ": has " + graph.inputs.size() + " inputs " + inputNames()
                    + "; give them as a list (call(List, training)), got one tensor of shape " + Shapes.format(packed.shape()));
        }
        if (packed.rank() != 2 || packed.shape()[1] != inputPacking.width()) {
            throw new IllegalArgumentException(describe() + ": has " + graph.inputs.size() + " inputs " + inputNames()
                    + "; give them as a list (call(List, training), predictAll, fit(List, List, ...)), got one tensor of shape "
                    + Shapes.format(packed.shape()));
        }
        return inputPacking.unpack(packed);
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        if (graph.outputs.size() != 1) {
            throw new IllegalStateException(describe() + ": has " + graph.outputs.size() + " outputs; see outputs()");
        }
        long[] out = graph.outputs.get(0).shape().clone();
        if (inputShape.length > 0) {
            out[0] = inputShape[0];
        }
        return out;
    }

    // ---------------------------------------------------------------- compile

    /**
     * Keras' {@code compile} with one loss: with several outputs, as in Keras, every output gets that loss and the
     * metrics (given by name, since a Metric object holds one output's state), logged as {@code <output>_<metric>}.
     */
    @Override
    public Model compile(Optimizer optimizer, Loss loss, Object... metrics) {
        if (outputPacking == null || loss instanceof OutputLosses) {
            return super.compile(optimizer, loss, metrics);
        }
        Compiled.requireBoth(this, optimizer, loss);
        Map<String, Object> losses = new LinkedHashMap<>();
        Map<String, List<Object>> perOutput = new LinkedHashMap<>();
        for (String name : outputNames()) {
            losses.put(name, loss);
            List<Object> list = new ArrayList<>();
            for (Object m : metrics == null ? new Object[0] : metrics) {
                if (m instanceof Metric metric) {
                    throw new IllegalArgumentException(describe() + ".compile: a Metric object (" + metric.name() + ") cannot "
                            + "serve the outputs " + outputNames() + " at once; give it by name, or one per output with "
                            + "compile(optimizer, losses, lossWeights, metrics)");
                }
                list.add(m);
            }
            perOutput.put(name, list);
        }
        return compile(optimizer, losses, null, perOutput);
    }

    /**
     * Keras' {@code compile} with a loss per output name ({@link Loss} objects or Keras names; an output left out is
     * not trained), {@code lossWeights} by output name (null: each 1; the loss minimised is the weighted sum) and
     * metrics by output name (null: none). The logs hold {@code loss}, {@code <output>_loss} (unweighted) and
     * {@code <output>_<metric>}, as Keras'.
     */
    public Functional compile(Optimizer optimizer, Map<String, ?> loss, Map<String, ? extends Number> lossWeights,
            Map<String, ? extends List<?>> metrics) {
        Compiled.requireBoth(this, optimizer, loss);
        if (outputPacking == null) {
            String name = outputNames().get(0);
            OutputLosses.of(this, loss, lossWeights, metrics);   // checks the names
            Object l = loss.get(name);
            Loss single = l instanceof String s ? Losses.get(s) : (Loss) l;
            double weight = lossWeights == null || lossWeights.get(name) == null ? 1.0 : lossWeights.get(name).doubleValue();
            if (weight != 1.0) {
                // a lone loss' weight only rescales the gradient: a learning rate the user can set plainly
                throw new IllegalArgumentException(describe() + ".compile: lossWeights weigh outputs against each other, "
                        + "but the model has one output \"" + name + "\"; got weight " + weight + " (scale the learning rate instead)");
            }
            List<?> m = metrics == null || metrics.get(name) == null ? List.of() : metrics.get(name);
            super.compile(optimizer, single, m.toArray());
            return this;
        }
        OutputLosses losses = OutputLosses.of(this, loss, lossWeights, metrics);
        super.compile(optimizer, losses, losses.metrics(describe() + ".compile").toArray());
        return this;
    }

    /** {@link #compile(Optimizer, Map, Map, Map)} with the optimizer by Keras name. */
    public Functional compile(String optimizer, Map<String, ?> loss, Map<String, ? extends Number> lossWeights,
            Map<String, ? extends List<?>> metrics) {
        Compiled.requireBoth(this, optimizer, loss);
        return compile(Optimizers.get(optimizer), loss, lossWeights, metrics);
    }

    /** {@link #compile(Optimizer, Map, Map, Map)} with every weight 1 and no metrics. */
    public Functional compile(Optimizer optimizer, Map<String, ?> loss) {
        return compile(optimizer, loss, null, null);
    }

    // ---------------------------------------------------------------- fit and evaluate

    /**
     * Keras' {@code fit} on one array per input and one per output, in the order of {@link #inputNames()} and
     * {@link #outputNames()}. With one input and one output it is exactly {@link #fit(INDArray, INDArray, FitOptions)}.
     * Validation on lists is by {@code validationSplit} (validation arrays in {@code options} take one array each,
     * so they suit a model of one input and one output only).
     */
    public History fit(List<INDArray> x, List<INDArray> y, FitOptions options) {
        refuseClassWeight(options);
        INDArray xs = packInputs("fit", x);
        INDArray ys = packTargets("fit", y);
        if (options != null && options.xVal() != null && (inputPacking != null || outputPacking != null)) {
            throw new IllegalArgumentException(describe() + ".fit: validationData takes one array of inputs and one of "
                    + "targets, but the model has inputs " + inputNames() + " and outputs " + outputNames()
                    + "; use validationSplit, or evaluate(x, y) on the validation lists");
        }
        return fit(xs, ys, options);
    }

    /**
     * {@link #fit(List, List, FitOptions)} validating on {@code xVal} and {@code yVal} (one array per input and per
     * output, targets of the same per-sample shapes as {@code y}) every {@code validationFreq} epochs; logged with
     * the {@code val_} prefix.
     */
    public History fit(List<INDArray> x, List<INDArray> y, List<INDArray> xVal, List<INDArray> yVal, FitOptions options) {
        refuseClassWeight(options);
        INDArray xs = packInputs("fit", x);
        INDArray ys = packTargets("fit", y);
        INDArray xv = packInputs("fit: validation", xVal);
        arrays.check("fit: validation", "y", yVal, graph.outputs, false);
        for (int i = 0; outputPacking != null && i < y.size(); i++) {
            long[] train = Arrays.copyOfRange(y.get(i).shape(), 1, y.get(i).rank());
            long[] val = Arrays.copyOfRange(yVal.get(i).shape(), 1, yVal.get(i).rank());
            if (!Arrays.equals(train, val)) {
                throw new IllegalArgumentException(describe() + ".fit: validation targets of output \"" + outputNames().get(i)
                        + "\" have per-sample shape " + Shapes.format(val) + " but the training targets " + Shapes.format(train));
            }
        }
        INDArray yv = outputPacking == null ? yVal.get(0) : outputPacking(yVal);
        if (options == null) {
            throw new IllegalArgumentException(describe() + ".fit: options are required, e.g. FitOptions.epochs(10)");
        }
        return fit(xs, ys, options.validationData(xv, yv));
    }

    private INDArray outputPacking(List<INDArray> y) {
        return Packing.ofArrays(y).pack(y, dtype());
    }

    /** {@link #fit(List, List, FitOptions)} with the arrays by input and output name. */
    public History fit(Map<String, INDArray> x, Map<String, INDArray> y, FitOptions options) {
        return fit(arrays.byName("fit", "input", x, inputNames()), arrays.byName("fit", "output", y, outputNames()), options);
    }

    /** Keras' {@code evaluate} on one array per input and per output: {@code loss}, per-output losses and metrics. */
    public Map<String, Double> evaluate(List<INDArray> x, List<INDArray> y, int batchSize) {
        return evaluate(packInputs("evaluate", x), packTargets("evaluate", y), batchSize);
    }

    /** {@link #evaluate(List, List, int)} in batches of 32. */
    public Map<String, Double> evaluate(List<INDArray> x, List<INDArray> y) {
        return evaluate(x, y, 32);
    }

    /** {@link #evaluate(List, List, int)} with the arrays by name, in batches of 32. */
    public Map<String, Double> evaluate(Map<String, INDArray> x, Map<String, INDArray> y) {
        return evaluate(arrays.byName("evaluate", "input", x, inputNames()), arrays.byName("evaluate", "output", y, outputNames()), 32);
    }

    /** As Keras: class weights say nothing of which output they weigh. */
    private void refuseClassWeight(FitOptions options) {
        if (options != null && options.classWeight() != null && outputPacking != null) {
            throw new IllegalArgumentException(describe() + ".fit: classWeight applies to a model of one output, but this "
                    + "one has outputs " + outputNames());
        }
    }

    /** One target array per output as one array; the compiled per-output losses learn the targets' layout. */
    private INDArray packTargets(String where, List<INDArray> y) {
        arrays.check(where, "y", y, graph.outputs, false);
        if (outputPacking == null) {
            return y.get(0);
        }
        OutputLosses losses = outputLosses(where);
        Packing targets = Packing.ofArrays(y);
        losses.targets(targets);
        return targets.pack(y, dtype());
    }

    OutputLosses outputLosses(String where) {
        if (!(requireCompiled(where).loss() instanceof OutputLosses losses)) {
            throw new IllegalStateException(describe() + "." + where + ": the model has outputs " + outputNames()
                    + " but was compiled with one loss for one output");
        }
        return losses;
    }

    // ---------------------------------------------------------------- config

    /** Keras 3's functional config: the layers with their inbound nodes, {@code input_layers}, {@code output_layers}. */
    @Override
    public Map<String, Object> config() {
        return FunctionalConfig.of(this, super.config());
    }

    /** Rebuilds a functional model from {@link #config()}: new layers, called again on new symbolic tensors. */
    public static Functional fromConfig(Map<String, Object> config) {
        return FunctionalConfig.fromConfig(config);
    }

    // ---------------------------------------------------------------- predict

    /**
     * Keras' {@code predict} on one array per input, in batches of {@code batchSize}: one array per output.
     */
    public List<INDArray> predictAll(List<INDArray> x, int batchSize) {
        INDArray packed = packInputs("predict", x);
        INDArray out = predict(packed, batchSize);
        return outputPacking == null ? List.of(out) : outputPacking.unpack(out);
    }

    /** {@link #predictAll(List, int)} in batches of 32. */
    public List<INDArray> predictAll(List<INDArray> x) {
        return predictAll(x, 32);
    }

    /** {@link #predictAll(List, int)} with the inputs by name. */
    public List<INDArray> predictAll(Map<String, INDArray> x) {
        return predictAll(arrays.byName("predict", "input", x, inputNames()), 32);
    }

    /** One array per input as the single array the one-array loops take; checks counts and shapes first. */
    INDArray packInputs(String where, List<INDArray> x) {
        arrays.check(where, "x", x, graph.inputs, true);
        return inputPacking == null ? x.get(0) : inputPacking.pack(x, dtype());
    }
}
