package org.grad4j.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.grad4j.core.ConfigReader;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Rebuilds layers from their Keras-style configs ({@link Layer#config()}), by class name. The built-in
 * layers are registered; {@link #register} adds a custom one (for loading saved models that use it).
 */
public final class Layers {
    private static final Map<String, Function<Map<String, Object>, ? extends Layer>> FACTORIES = new ConcurrentHashMap<>();

    static {
        FACTORIES.put("Dense", Dense::fromConfig);
        FACTORIES.put("Activation", Activation::fromConfig);
        FACTORIES.put("Dropout", Dropout::fromConfig);
        FACTORIES.put("BatchNormalization", BatchNormalization::fromConfig);
        FACTORIES.put("Flatten", Flatten::fromConfig);
        FACTORIES.put("InputLayer", InputLayer::fromConfig);
    }

    private Layers() {
    }

    /**
     * Registers a layer class: {@code factory} builds a layer from its own config keys; the common ones
     * (name, trainable, dtype) are applied by {@link #fromConfig}.
     */
    public static void register(String className, Function<Map<String, Object>, ? extends Layer> factory) {
        if (className == null || className.isBlank() || factory == null) {
            throw new IllegalArgumentException("Layers.register: a class name and a factory are required, got "
                    + className + " and " + factory);
        }
        FACTORIES.put(className, factory);
    }

    /**
     * Keras' {@code from_config}: a new, unbuilt layer of {@code className} with the config's arguments,
     * name, dtype and trainable flag. Unknown keys are ignored.
     *
     * @throws IllegalArgumentException for an unknown class (listing the known ones) or a bad value
     */
    public static Layer fromConfig(String className, Map<String, Object> config) {
        Function<Map<String, Object>, ? extends Layer> factory = className == null ? null : FACTORIES.get(className);
        if (factory == null) {
            throw new IllegalArgumentException("Layers.fromConfig: unknown layer class \"" + className + "\" (known: "
                    + String.join(", ", new TreeSet<>(FACTORIES.keySet())) + ")");
        }
        Map<String, Object> c = config == null ? Map.of() : config;
        String owner = className + ".fromConfig";
        Layer layer = factory.apply(c);
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
        return className != null && FACTORIES.containsKey(className);
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
