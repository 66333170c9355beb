package org.grad4j.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.grad4j.core.Shapes;
import org.grad4j.core.Tensor;
import org.grad4j.layers.InputLayer;
import org.grad4j.layers.Layer;

/**
 * Keras' {@code Sequential}: a stack of layers, each feeding the next. Give the input width with an
 * {@link InputLayer} first (then the model is built at once and {@code summary()} works before training),
 * with {@link #build(long...)}, or let the first batch decide.
 *
 * <pre>{@code
 * Sequential model = new Sequential(new InputLayer(9), new Dense(64, "relu"), new Dense(1));
 * }</pre>
 */
public class Sequential extends Model {
    private final List<Layer> stack = new ArrayList<>();
    private final List<long[]> outputShapes = new ArrayList<>();

    public Sequential(Layer... layers) {
        this(Arrays.asList(layers));
    }

    public Sequential(List<? extends Layer> layers) {
        Objects.requireNonNull(layers, "Sequential: the layer list is null");
        for (Layer layer : layers) {
            add(layer);
        }
    }

    /**
     * Appends a layer. On a built model the layer is built at once for the current output shape, so a
     * mismatch is reported here; it changes nothing then.
     */
    public Sequential add(Layer layer) {
        Objects.requireNonNull(layer, () -> describe() + ".add: the layer is null");
        if (layer == this || stack.stream().anyMatch(l -> l == layer)) {
            throw new IllegalArgumentException(describe() + ".add: " + layer.describe() + " is already in the model");
        }
        if (stack.stream().anyMatch(l -> l.name().equals(layer.name()))) {
            throw new IllegalArgumentException(describe() + ".add: the model already has a layer named \"" + layer.name()
                    + "\" (layers: " + layerNames() + "); layer names must be unique");
        }
        if (layer instanceof InputLayer input) {
            if (!stack.isEmpty()) {
                throw new IllegalArgumentException(describe() + ".add: an InputLayer can only come first, but the model "
                        + "already has layers " + layerNames());
            }
            stack.add(layer);
            buildBatch(input.batchShape());
            return this;
        }
        if (isBuilt()) {
            long[] in = outputShape();
            if (!layer.isBuilt()) {
                layer.build(in);
            }
            long[] out = layer.computeOutputShape(in);
            stack.add(layer);
            outputShapes.add(out);
        } else {
            stack.add(layer);
        }
        return this;
    }

    /** Removes the last layer (Keras' {@code pop}); its weights leave the model. */
    public Layer pop() {
        if (stack.isEmpty() || stack.size() == 1 && stack.get(0) instanceof InputLayer) {
            throw new IllegalStateException(describe() + ".pop: the model has no layers to remove");
        }
        Layer removed = stack.remove(stack.size() - 1);
        if (!outputShapes.isEmpty()) {
            outputShapes.remove(outputShapes.size() - 1);
        }
        return removed;
    }

    /** The layers in order, without the InputLayer (as Keras' {@code model.layers}). */
    @Override
    public List<Layer> layers() {
        return Collections.unmodifiableList(stack.stream().filter(l -> !(l instanceof InputLayer)).toList());
    }

    /** The InputLayer, if the model starts with one. */
    public InputLayer inputLayer() {
        return !stack.isEmpty() && stack.get(0) instanceof InputLayer input ? input : null;
    }

    @Override
    public Tensor call(Tensor inputs, boolean training) {
        if (stack.isEmpty()) {
            throw new IllegalStateException(describe() + ": the model has no layers; add some first");
        }
        Tensor x = inputs;
        for (Layer layer : stack) {
            x = layer.apply(x, training);
        }
        return x;
    }

    /** Builds the layers one after another, each for the previous one's output shape. */
    @Override
    protected void buildBatch(long[] batchShape) {
        if (stack.isEmpty()) {
            throw new IllegalStateException(describe() + ".build: the model has no layers; add some first");
        }
        InputLayer input = inputLayer();
        if (input != null && isBuilt() && !Arrays.equals(input.batchShape(), batchShape)) {
            throw new IllegalArgumentException(describe() + ".build: the model's InputLayer declares " + Shapes.format(input.batchShape())
                    + " but build got " + Shapes.format(batchShape));
        }
        List<long[]> shapes = new ArrayList<>();
        long[] shape = batchShape;
        for (Layer layer : stack) {
            if (layer instanceof InputLayer) {
                continue;
            }
            if (!layer.isBuilt()) {
                layer.build(shape);
            }
            shape = layer.computeOutputShape(shape);
            shapes.add(shape);
        }
        outputShapes.clear();
        outputShapes.addAll(shapes);
        markBuilt(batchShape);
    }

    /** The model's output batch shape ({@code [-1, 1]}); needs a built model. */
    public long[] outputShape() {
        if (!isBuilt()) {
            throw new IllegalStateException(describe() + ".outputShape: the model is not built; call build(inputShape) or "
                    + "start with an InputLayer");
        }
        return outputShapes.isEmpty() ? buildInputShape() : outputShapes.get(outputShapes.size() - 1).clone();
    }

    /** Each layer's output batch shape, in {@link #layers()} order (empty before the model is built). */
    List<long[]> layerOutputShapes() {
        return outputShapes.stream().map(long[]::clone).toList();
    }

    @Override
    public long[] computeOutputShape(long... inputShape) {
        long[] shape = inputShape.clone();
        for (Layer layer : layers()) {
            shape = layer.computeOutputShape(shape);
        }
        return shape;
    }

    /** Keras' form: name, trainable, dtype, the layers as {@code {class_name, config}} and the build shape. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>(super.config());
        List<Map<String, Object>> layers = new ArrayList<>();
        for (Layer layer : stack) {
            layers.add(ModelConfigs.serialize(layer));
        }
        config.put("layers", layers);
        long[] built = buildInputShape();
        if (built != null && inputLayer() == null) {
            config.put("build_input_shape", ModelConfigs.kerasShape(built));
        }
        return config;
    }

    /**
     * Rebuilds a Sequential from {@link #config()}: its layers, built if the config has a shape. The model's
     * name, dtype and trainable flag are set before the layers are added, since the name cannot change once an
     * InputLayer has built the model and the flag would otherwise override each layer's own.
     */
    @SuppressWarnings("unchecked")
    public static Sequential fromConfig(Map<String, Object> config) {
        Object layers = config.get("layers");
        if (!(layers instanceof List<?> list)) {
            throw new IllegalArgumentException("Sequential.fromConfig: the config has no \"layers\" list (keys: "
                    + config.keySet() + ")");
        }
        Sequential model = new Sequential();
        ModelConfigs.applyCommon(model, config);
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> layer)) {
                throw new IllegalArgumentException("Sequential.fromConfig: each layer must be {class_name, config}, got "
                        + item);
            }
            model.add(ModelConfigs.deserialize((Map<String, Object>) layer));
        }
        if (config.get("build_input_shape") instanceof List<?> dims && !model.isBuilt()) {
            model.build(ModelConfigs.shape(dims, "Sequential.fromConfig: build_input_shape"));
        }
        return model;
    }
}
