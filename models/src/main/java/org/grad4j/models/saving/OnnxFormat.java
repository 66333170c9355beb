package org.grad4j.models.saving;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import onnx.Onnx;
import org.grad4j.core.Shapes;
import org.grad4j.layers.CallKind;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.KerasTensor;
import org.grad4j.layers.Layer;
import org.grad4j.layers.LayerNode;
import org.grad4j.models.Functional;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * ONNX export (opset {@value OnnxGraph#OPSET}) of a built, float32 {@link Sequential} or {@link Functional} model,
 * for inference: Dropout is left out and BatchNormalization uses its moving statistics. Inputs and outputs are in
 * grad4j's channels-last layout with a symbolic batch dimension. A Sequential's one input is named after its
 * InputLayer ({@code input} without one) and its one output {@code output}; a Functional's inputs are named after
 * its Input layers and its outputs after the layers that produce them ({@link Functional#outputNames()}), a name
 * given twice taking a {@code _1} suffix the second time. A layer called twice writes its weights once, and a
 * Sequential or Functional model used as a layer is written inline. Export only: grad4j does not read ONNX files.
 */
final class OnnxFormat {
    private OnnxFormat() {
    }

    static void export(Model model, Path path) {
        Objects.requireNonNull(path, "exportOnnx: the path is null");
        String where = model.describe() + ".exportOnnx(" + path + ")";
        Onnx.ModelProto proto = toOnnx(model, where);   // every check and the whole graph before the file is touched
        AtomicFile.write(path, where, proto::writeTo);
    }

    static Onnx.ModelProto toOnnx(Model model, String where) {
        if (model instanceof Sequential sequential) {
            return sequential(sequential, where);
        }
        if (model instanceof Functional functional) {
            return functional(functional, where);
        }
        throw new IllegalArgumentException(where + ": only Sequential and Functional models export to ONNX, got "
                + model.getClass().getName());
    }

    private static Onnx.ModelProto sequential(Sequential model, String where) {
        long[] inputShape = model.buildInputShape();
        if (inputShape == null) {
            throw new IllegalStateException(where + ": the model is not built; build it (or start it with an "
                    + "InputLayer) so that the ONNX graph's input shape is known");
        }
        checkModel(model, where);
        InputLayer input = model.inputLayer();
        OnnxGraph graph = new OnnxGraph(model.name());
        String inputName = input == null ? "input" : input.name();
        graph.input(inputName, inputShape);
        graph.reserve("output");
        OnnxLayers writer = new OnnxLayers(graph);
        OnnxLayers.Value x = run(model, List.of(new OnnxLayers.Value(inputName, inputShape, false)), writer).get(0);
        if (x.shape().length == 0) {
            throw new IllegalStateException(where + ": the model's output shape " + Shapes.format(x.shape()) + " is empty");
        }
        graph.output("output", writer.channelsLast(x).name(), x.shape());
        return graph.model(G4jFormat.grad4jVersion());
    }

    private static Onnx.ModelProto functional(Functional model, String where) {
        checkModel(model, where);
        OnnxGraph graph = new OnnxGraph(model.name());
        List<OnnxLayers.Value> inputs = new ArrayList<>();
        for (KerasTensor in : model.inputs()) {
            graph.input(in.layer().name(), in.shape());
            inputs.add(new OnnxLayers.Value(in.layer().name(), in.shape(), false));
        }
        List<String> outputNames = new ArrayList<>();
        for (String name : model.outputNames()) {
            outputNames.add(graph.fresh(name));   // reserved before any node can take them
        }
        OnnxLayers writer = new OnnxLayers(graph);
        List<OnnxLayers.Value> outputs = run(model, inputs, writer);
        for (int i = 0; i < outputNames.size(); i++) {
            OnnxLayers.Value out = outputs.get(i);
            graph.output(outputNames.get(i), writer.channelsLast(out).name(), out.shape());
        }
        return graph.model(G4jFormat.grad4jVersion());
    }

    /**
     * Writes {@code model} applied to {@code inputs} (one per model input); returns one value per output. A
     * Sequential or Functional model used as a layer is written inline, its layers' weights once however often
     * it is called.
     */
    private static List<OnnxLayers.Value> run(Model model, List<OnnxLayers.Value> inputs, OnnxLayers writer) {
        if (model instanceof Sequential sequential) {
            OnnxLayers.Value x = inputs.get(0);
            for (Layer layer : sequential.layers()) {
                x = layer instanceof Model nested ? run(nested, List.of(x), writer).get(0)
                        : writer.export(layer, List.of(x)).get(0);
            }
            return List.of(x);
        }
        Functional functional = (Functional) model;
        Map<KerasTensor, OnnxLayers.Value> values = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            values.put(functional.inputs().get(i), inputs.get(i));
        }
        for (LayerNode node : functional.nodes()) {
            if (node.kind() == CallKind.INPUT) {
                continue;
            }
            List<OnnxLayers.Value> args = new ArrayList<>();
            for (KerasTensor t : node.inputs()) {
                args.add(values.get(t));
            }
            List<OnnxLayers.Value> outs = node.layer() instanceof Model nested ? run(nested, args, writer)
                    : writer.export(node.layer(), args);
            for (int i = 0; i < node.outputs().size(); i++) {
                values.put(node.outputs().get(i), outs.get(i));
            }
        }
        List<OnnxLayers.Value> out = new ArrayList<>();
        for (KerasTensor o : functional.outputs()) {
            out.add(values.get(o));
        }
        return out;
    }

    /** Checks every layer {@link #run} will write, nested models' included; writes nothing. */
    private static void checkModel(Model model, String where) {
        if (model instanceof Sequential sequential) {
            if (sequential.inputLayer() != null) {
                check(sequential.inputLayer(), CallKind.SINGLE, where);
            }
            for (Layer layer : sequential.layers()) {
                checkLayer(layer, CallKind.SINGLE, where);
            }
        } else {
            for (LayerNode node : ((Functional) model).nodes()) {
                checkLayer(node.layer(), node.kind(), where);
            }
        }
    }

    private static void checkLayer(Layer layer, CallKind kind, String where) {
        if (layer instanceof Sequential || layer instanceof Functional) {
            if (!layer.isBuilt()) {
                throw new IllegalStateException(where + ": the nested model " + layer.describe() + " is not built");
            }
            checkModel((Model) layer, where);
        } else {
            check(layer, kind, where);
        }
    }

    /** Throws, naming the layer, if it cannot be written as called; writes nothing. */
    private static void check(Layer layer, CallKind kind, String where) {
        try {
            OnnxLayers.check(layer, kind);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        if (layer.dtype() != DataType.FLOAT) {
            throw new IllegalArgumentException(where + ": layer " + layer.describe() + " computes in "
                    + layer.dtype() + "; exportOnnx writes float32 graphs only");
        }
    }
}
