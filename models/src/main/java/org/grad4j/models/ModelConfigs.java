package org.grad4j.models;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.layers.Layer;
import org.grad4j.layers.Layers;

/**
 * Keras' {@code serialize_keras_object} / {@code deserialize_keras_object} for layers and models: the
 * {@code {"class_name", "config"}} tree of a model and the way back. Every file format writes and reads
 * architectures through it (package {@code org.grad4j.models.saving}). Built-in layers and
 * {@link Sequential} go through {@link Layers}; a subclassed model also records its Java class under
 * {@code "module"} (Keras records the Python module there) and is recreated by the factory registered with
 * {@link Layers#register} under its class name or, failing that, by its no-argument constructor.
 */
public final class ModelConfigs {
    private ModelConfigs() {
    }

    /** Keras' serialized form of a layer or model, with {@code "module"} for subclassed models. */
    public static Map<String, Object> serialize(Layer layer) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (isSubclassedModel(layer)) {
            out.put("module", layer.getClass().getName());
        }
        out.put("class_name", layer.className());
        out.put("config", layer.config());
        return out;
    }

    /** A model class of the user's: anything but Model and Sequential themselves. */
    private static boolean isSubclassedModel(Layer layer) {
        return layer instanceof Model && layer.getClass() != Model.class && layer.getClass() != Sequential.class
                && layer.getClass() != Functional.class;
    }

    /** Reads back {@link #serialize}'s form: a new, unbuilt layer (a Sequential with a known input is built). */
    @SuppressWarnings("unchecked")
    public static Layer deserialize(Map<String, Object> serialized) {
        if (!(serialized.get("class_name") instanceof String className)) {
            throw new IllegalArgumentException("expected {\"class_name\": ..., \"config\": {...}}, got keys "
                    + serialized.keySet());
        }
        Object c = serialized.get("config");
        if (c != null && !(c instanceof Map)) {
            throw new IllegalArgumentException(className + ": \"config\" must be an object, got " + c);
        }
        Map<String, Object> config = c == null ? Map.of() : (Map<String, Object>) c;
        Object module = serialized.get("module");
        if (module == null) {
            // Sequential.fromConfig applies the model's own trainable flag before adding its layers, so that a
            // frozen layer stays frozen (Layers.fromConfig would set the flag on every layer afterwards)
            if (className.equals("Sequential")) {
                return Sequential.fromConfig(config);
            }
            if (className.equals("Functional")) {
                return Functional.fromConfig(config);
            }
            requireRegistered(className, Layers.registry(), "layer", "layers");
            return Layers.fromConfig(className, config);
        }
        if (!(module instanceof String javaClass)) {
            throw new IllegalArgumentException(className + ": \"module\" must be a Java class name, got " + module);
        }
        return subclassedModel(className, javaClass, config);
    }

    /**
     * Fails for a class no factory is registered for, naming it and the call that registers it: a file with a
     * user's class loads only in a program that registered that class first.
     */
    static void requireRegistered(String className, org.grad4j.registry.Registry<?> registry, String kind, String door) {
        if (!registry.contains(className)) {
            throw new IllegalArgumentException("unknown " + kind + " class \"" + className + "\" (known: "
                    + String.join(", ", registry.names()) + "); if it is a class of yours, register it before loading: "
                    + "Registry." + door + "().register(\"" + className + "\", " + className + "::fromConfig)");
        }
    }

    /** The registered factory if there is one, else the no-argument constructor of {@code javaClass}. */
    private static Model subclassedModel(String className, String javaClass, Map<String, Object> config) {
        if (!Layers.isRegistered(className)) {
            return construct(className, javaClass, config);
        }
        Layer layer = Layers.fromConfig(className, config);
        if (!(layer instanceof Model model)) {
            throw new IllegalArgumentException("the factory registered for \"" + className + "\" made a "
                    + layer.getClass().getName() + ", not a Model");
        }
        return model;
    }

    private static Model construct(String className, String javaClass, Map<String, Object> config) {
        String hint = "; give " + javaClass + " a no-argument constructor, or register a factory before loading: "
                + "Layers.register(\"" + className + "\", config -> new " + className + "(...))";
        Class<?> type;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            type = Class.forName(javaClass, false, loader != null ? loader : Model.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("the model class " + javaClass + " is not on the class path" + hint, e);
        }
        // checked before anything of the class runs: a file must not be able to instantiate arbitrary classes
        if (!Model.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(javaClass + " is not a subclass of " + Model.class.getName()
                    + ", so it is not created");
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalArgumentException("the model class " + javaClass + " is abstract" + hint);
        }
        Constructor<?> constructor;
        try {
            constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            String inner = type.isMemberClass() && !Modifier.isStatic(type.getModifiers())
                    ? " (it is an inner class: declare it static)" : "";
            throw new IllegalArgumentException("the model class " + javaClass + " has no no-argument constructor" + inner
                    + hint, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the no-argument constructor of " + javaClass + " is not accessible ("
                    + e.getMessage() + ")" + hint, e);
        }
        Model model;
        try {
            model = (Model) constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("new " + className + "() failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot call new " + className + "(): " + e + hint, e);
        }
        applyCommon(model, config);
        return model;
    }

    /** What Layers.fromConfig does for a registered class: name, dtype and trainable flag from the config. */
    static void applyCommon(Model model, Map<String, Object> config) {
        if (config.get("name") instanceof String name && !model.isBuilt()) {
            model.name(name);
        }
        if (config.get("dtype") != null) {
            model.dtype(Layers.dtype(config.get("dtype"), model.className() + ".fromConfig"));
        }
        if (config.get("trainable") instanceof Boolean trainable && model.trainable() != trainable) {
            model.setTrainable(trainable);
        }
    }

    /** Keras' {@code build_config}: the input shape with null for the batch dimension, or null when not built. */
    static Map<String, Object> buildConfig(Model model) {
        long[] shape = model.buildInputShape();
        if (shape == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("input_shape", kerasShape(shape));
        return out;
    }

    /** A batch shape as Keras writes it in configs: null for the batch (and any unknown) dimension. */
    static List<Long> kerasShape(long[] shape) {
        List<Long> dims = new ArrayList<>();
        for (long d : shape) {
            dims.add(d < 0 ? null : d);
        }
        return dims;
    }

    /** Reads {@link #kerasShape}'s form back, null as -1; {@code where} starts the error message. */
    static long[] shape(List<?> dims, String where) {
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            Object d = dims.get(i);
            if (d != null && !(d instanceof Number)) {
                throw new IllegalArgumentException(where + ": dimension " + i + " must be a number or null, got " + d);
            }
            shape[i] = d == null ? -1 : ((Number) d).longValue();
        }
        return shape;
    }

    /** Reads {@link #buildConfig}'s shape back as a batch shape with -1 for the batch dimension. */
    static long[] inputShape(Object buildConfig) {
        if (!(buildConfig instanceof Map<?, ?> map) || !(map.get("input_shape") instanceof List<?> dims) || dims.isEmpty()) {
            throw new IllegalArgumentException("build_config must be {\"input_shape\": [null, ...]}, got " + buildConfig);
        }
        long[] shape = shape(dims, "build_config");
        shape[0] = -1;   // a model is built for any batch size
        return shape;
    }
}
