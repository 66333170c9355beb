package org.grad4j.models.saving;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import onnx.Onnx;
import org.grad4j.core.Shapes;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;
import org.grad4j.models.Model;
import org.grad4j.models.Sequential;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * ONNX export (opset {@value OnnxGraph#OPSET}) of a built, float32 {@link Sequential} model, for inference: Dropout
 * is left out and BatchNormalization uses its moving statistics. The graph has one input, named after the
 * model's InputLayer ({@code input} without one), with a symbolic batch dimension, and one output, {@code output},
 * both in grad4j's channels-last layout. Export only: grad4j does not read ONNX files.
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
        if (!(model instanceof Sequential sequential)) {
            throw new IllegalArgumentException(where + ": only Sequential models export to ONNX, got "
                    + model.getClass().getSimpleName());
        }
        long[] inputShape = model.buildInputShape();
        if (inputShape == null) {
            throw new IllegalStateException(where + ": the model is not built; build it (or start it with an "
                    + "InputLayer) so that the ONNX graph's input shape is known");
        }
        List<Layer> layers = new ArrayList<>();
        if (sequential.inputLayer() != null) {
            layers.add(sequential.inputLayer());
        }
        layers.addAll(sequential.layers());
        for (Layer layer : layers) {
            try {
                OnnxLayers.check(layer);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            if (layer.dtype() != DataType.FLOAT) {
                throw new IllegalArgumentException(where + ": layer " + layer.describe() + " computes in "
                        + layer.dtype() + "; exportOnnx writes float32 graphs only");
            }
        }
        InputLayer input = sequential.inputLayer();
        OnnxGraph graph = new OnnxGraph(model.name());
        String inputName = input == null ? "input" : input.name();
        graph.input(inputName, inputShape);
        OnnxLayers writer = new OnnxLayers(graph);
        OnnxLayers.Value x = new OnnxLayers.Value(inputName, inputShape, false);
        for (Layer layer : layers) {
            x = writer.export(layer, x);
        }
        graph.output(writer.output(x), x.shape());
        if (x.shape().length == 0) {
            throw new IllegalStateException(where + ": the model's output shape " + Shapes.format(x.shape()) + " is empty");
        }
        return graph.model(G4jFormat.grad4jVersion());
    }
}
