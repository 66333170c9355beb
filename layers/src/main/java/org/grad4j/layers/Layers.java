package org.grad4j.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.grad4j.core.internal.ConfigReader;
import org.grad4j.registry.Registry;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Rebuilds layers from their Keras-style configs ({@link Layer#config()}), by class name. The built-in
 * layers are in {@link #registry()}; registering a custom one there (or with {@link #register}) lets saved
 * models that use it load again.
 */
public final class Layers {
    private static final Registry<Layer> REGISTRY = new Registry<Layer>("layer", false)
            .register("Dense", Dense::fromConfig)
            .register("Activation", Activation::fromConfig)
            .register("Dropout", Dropout::fromConfig)
            .register("BatchNormalization", BatchNormalization::fromConfig)
            .register("Flatten", Flatten::fromConfig)
            .register("InputLayer", InputLayer::fromConfig)
            .register("Rescaling", Rescaling::fromConfig)
            .register("Normalization", Normalization::fromConfig)
            .register("CategoryEncoding", CategoryEncoding::fromConfig)
            .register("Conv1D", Conv1D::fromConfig)
            .register("Conv1DTranspose", Conv1DTranspose::fromConfig)
            .register("Conv2D", Conv2D::fromConfig)
            .register("Conv2DTranspose", Conv2DTranspose::fromConfig)
            .register("MaxPooling1D", MaxPooling1D::fromConfig)
            .register("MaxPooling2D", MaxPooling2D::fromConfig)
            .register("AveragePooling1D", AveragePooling1D::fromConfig)
            .register("AveragePooling2D", AveragePooling2D::fromConfig)
            .register("GlobalAveragePooling1D", GlobalAveragePooling1D::fromConfig)
            .register("GlobalAveragePooling2D", GlobalAveragePooling2D::fromConfig)
            .register("GlobalMaxPooling1D", GlobalMaxPooling1D::fromConfig)
            .register("GlobalMaxPooling2D", GlobalMaxPooling2D::fromConfig)
            .register("Reshape", Reshape::fromConfig)
            .register("Concatenate", Concatenate::fromConfig)
            .register("Add", Add::fromConfig)
            .register("Subtract", Subtract::fromConfig)
            .register("Multiply", Multiply::fromConfig)
            .register("Average", Average::fromConfig)
            .register("Maximum", Maximum::fromConfig)
            .register("LayerNormalization", LayerNormalization::fromConfig)
            .register("Embedding", Embedding::fromConfig)
            .register("DepthwiseConv2D", DepthwiseConv2D::fromConfig)
            .register("ZeroPadding2D", ZeroPadding2D::fromConfig)
            .register("UpSampling2D", UpSampling2D::fromConfig)
            .register("Permute", Permute::fromConfig)
            .register("RepeatVector", RepeatVector::fromConfig)
            .register("Masking", Masking::fromConfig)
            .register("SimpleRNN", SimpleRNN::fromConfig)
            .register("LSTM", LSTM::fromConfig)
            .register("GRU", GRU::fromConfig)
            .register("Bidirectional", Bidirectional::fromConfig)
            .register("MultiHeadAttention", MultiHeadAttention::fromConfig);

    private Layers() {
    }

    /**
     * The layer classes {@link #fromConfig} knows, by Keras class name. A factory builds a layer from its own
     * config keys; the common ones (name, trainable, dtype) are applied by {@link #fromConfig}.
     */
    public static Registry<Layer> registry() {
        return REGISTRY;
    }

    /**
     * Registers a layer class, as {@code registry().register(className, factory)}.
     *
     * @throws IllegalArgumentException when the name is taken; {@code registry().replace(...)} replaces on purpose
     */
    public static void register(String className, Function<Map<String, Object>, ? extends Layer> factory) {
        REGISTRY.register(className, factory);
    }

    /**
     * Keras' {@code from_config}: a new, unbuilt layer of {@code className} with the config's arguments,
     * name, dtype and trainable flag. Unknown keys are ignored.
     *
     * @throws IllegalArgumentException for an unknown class (listing the known ones) or a bad value
     */
    public static Layer fromConfig(String className, Map<String, Object> config) {
        if (!REGISTRY.contains(className)) {
            throw Registry.unknown("Layers.fromConfig", "layer class", className, List.copyOf(new TreeSet<>(REGISTRY.names())));
        }
        Map<String, Object> c = config == null ? Map.of() : config;
        String owner = className + ".fromConfig";
        Layer layer = REGISTRY.create(className, c, "Layers.fromConfig");
        if (c.get("name") != null) {
            layer.name(c.get("name").toString());
        }
        if (c.get("dtype") != null) {
            layer.dtype(DTypeNames.dtype(c.get("dtype"), owner));
        }
        boolean trainable = new ConfigReader(owner, c).bool("trainable", true);
        if (layer.trainable() != trainable) {
            // only on a change: setting it on a model reaches every inner layer and would unfreeze frozen ones
            layer.setTrainable(trainable);
        }
        return layer;
    }

    /** Whether {@link #fromConfig} knows {@code className}. */
    public static boolean isRegistered(String className) {
        return REGISTRY.contains(className);
    }

    /**
     * The data type of a Keras dtype name in a layer config ({@code float32}, {@code float64}, {@code float16},
     * {@code bfloat16}, or Keras 3's DTypePolicy map); {@code owner} starts the error message.
     */
    public static DataType dtype(Object kerasName, String owner) {
        return DTypeNames.dtype(kerasName, owner);
    }

    /** Keras' serialized form of a layer: {@code {class_name, config}}. */
    public static Map<String, Object> serialize(Layer layer) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("class_name", layer.className());
        out.put("config", layer.config());
        return out;
    }

    /** Reads back {@link #serialize}'s form. */
    public static Layer deserialize(Map<String, Object> serialized) {
        Object className = serialized.get("class_name");
        @SuppressWarnings("unchecked")
        Map<String, Object> config = serialized.get("config") instanceof Map<?, ?> c ? (Map<String, Object>) c : Map.of();
        return fromConfig(className == null ? null : className.toString(), config);
    }
}
