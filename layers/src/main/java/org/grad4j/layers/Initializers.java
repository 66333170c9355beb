package org.grad4j.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.grad4j.core.internal.ConfigReader;
import org.grad4j.core.internal.KerasNames;
import org.grad4j.core.MemoryBudget;
import org.grad4j.core.Shapes;
import org.grad4j.registry.Registry;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The initializers of {@code keras.initializers}, with Keras' formulas and defaults. Samples come from
 * plain-Java generators ({@link java.util.SplittableRandom}): a seeded initializer gives the same values
 * on every call and machine; an unseeded one takes a fresh seed from {@link org.grad4j.core.Seeds#nextSeed()}
 * on each call, so {@code Seeds.set(42)} makes a whole model reproducible.
 */
public final class Initializers {
    /** By Keras class name ({@code GlorotUniform}) with the Keras name ({@code glorot_uniform}) as alias, any case. */
    private static final Registry<Initializer> REGISTRY = new Registry<>("initializer", true);

    static {
        for (String name : List.of("GlorotUniform", "GlorotNormal", "HeNormal", "HeUniform", "LecunNormal", "LecunUniform")) {
            builtIn(name, c -> varianceScaling(KerasNames.snakeCase(name), c.optionalWhole("seed")));
        }
        builtIn("RandomNormal", c -> new RandomNormal(c.number("mean", 0.0), c.number("stddev", 0.05), c.optionalWhole("seed")));
        builtIn("RandomUniform", c -> new RandomUniform(c.number("minval", -0.05), c.number("maxval", 0.05),
                c.optionalWhole("seed")));
        builtIn("TruncatedNormal", c -> new TruncatedNormal(c.number("mean", 0.0), c.number("stddev", 0.05),
                c.optionalWhole("seed")));
        builtIn("Zeros", c -> zeros());
        builtIn("Ones", c -> ones());
        builtIn("Constant", c -> constant(c.number("value", 0.0)));
        builtIn("Orthogonal", c -> new Orthogonal(c.number("gain", 1.0), c.optionalWhole("seed")));
        builtIn("Identity", c -> identity(c.number("gain", 1.0)));
    }

    private Initializers() {
    }

    private static void builtIn(String className, Function<ConfigReader, Initializer> factory) {
        REGISTRY.register(className,
                config -> factory.apply(new ConfigReader("Initializers.deserialize(" + className + ")", config)),
                KerasNames.snakeCase(className));
    }

    /**
     * The initializers {@link #get} and {@link #deserialize} know, by Keras class name, with Keras names as
     * aliases, found in any case. Register a custom one here so that layer configs naming it load.
     */
    public static Registry<Initializer> registry() {
        return REGISTRY;
    }

    /** U[-limit, limit) with {@code limit = sqrt(6 / (fan_in + fan_out))}; Dense's default kernel initializer. */
    public static Initializer glorotUniform() {
        return varianceScaling("glorot_uniform", null);
    }

    public static Initializer glorotUniform(long seed) {
        return varianceScaling("glorot_uniform", seed);
    }

    /** Truncated normal with variance {@code 2 / (fan_in + fan_out)}. */
    public static Initializer glorotNormal() {
        return varianceScaling("glorot_normal", null);
    }

    public static Initializer glorotNormal(long seed) {
        return varianceScaling("glorot_normal", seed);
    }

    /** Truncated normal with variance {@code 2 / fan_in}. */
    public static Initializer heNormal() {
        return varianceScaling("he_normal", null);
    }

    public static Initializer heNormal(long seed) {
        return varianceScaling("he_normal", seed);
    }

    /** U[-limit, limit) with {@code limit = sqrt(6 / fan_in)}. */
    public static Initializer heUniform() {
        return varianceScaling("he_uniform", null);
    }

    public static Initializer heUniform(long seed) {
        return varianceScaling("he_uniform", seed);
    }

    /** Truncated normal with variance {@code 1 / fan_in}. */
    public static Initializer lecunNormal() {
        return varianceScaling("lecun_normal", null);
    }

    public static Initializer lecunNormal(long seed) {
        return varianceScaling("lecun_normal", seed);
    }

    /** U[-limit, limit) with {@code limit = sqrt(3 / fan_in)}. */
    public static Initializer lecunUniform() {
        return varianceScaling("lecun_uniform", null);
    }

    public static Initializer lecunUniform(long seed) {
        return varianceScaling("lecun_uniform", seed);
    }

    /** N(0, 0.05²), Keras' defaults. */
    public static Initializer randomNormal() {
        return new RandomNormal(0.0, 0.05, null);
    }

    public static Initializer randomNormal(double mean, double stddev) {
        return new RandomNormal(mean, stddev, null);
    }

    public static Initializer randomNormal(double mean, double stddev, long seed) {
        return new RandomNormal(mean, stddev, seed);
    }

    /** U[-0.05, 0.05), Keras' defaults. */
    public static Initializer randomUniform() {
        return new RandomUniform(-0.05, 0.05, null);
    }

    public static Initializer randomUniform(double min, double max) {
        return new RandomUniform(min, max, null);
    }

    public static Initializer randomUniform(double min, double max, long seed) {
        return new RandomUniform(min, max, seed);
    }

    /** Keras 3's TruncatedNormal with its defaults: N(0, 0.05²), samples beyond two stddev redrawn. */
    public static Initializer truncatedNormal() {
        return new TruncatedNormal(0.0, 0.05, null);
    }

    /**
     * N(mean, stddev²) with samples more than {@code 2 stddev} from the mean redrawn, as Keras 3; not widened
     * afterwards, so the values' standard deviation is about {@code 0.88 stddev}.
     */
    public static Initializer truncatedNormal(double mean, double stddev) {
        return new TruncatedNormal(mean, stddev, null);
    }

    public static Initializer truncatedNormal(double mean, double stddev, long seed) {
        return new TruncatedNormal(mean, stddev, seed);
    }

    /** Keras' Orthogonal with gain 1. */
    public static Initializer orthogonal() {
        return new Orthogonal(1.0, null);
    }

    /**
     * Keras' Orthogonal: the sign-corrected Q of the QR factorization of a normal matrix, times {@code gain}.
     * The shape's axes but the last are flattened into rows (a convolution kernel works too); its rows or its
     * columns, whichever are fewer, come out orthonormal. Needs at least two axes.
     */
    public static Initializer orthogonal(double gain) {
        return new Orthogonal(gain, null);
    }

    public static Initializer orthogonal(double gain, long seed) {
        return new Orthogonal(gain, seed);
    }

    /** Keras' Identity with gain 1: the identity matrix (rectangular too); 2-D shapes only. */
    public static Initializer identity() {
        return new IdentityInitializer(1.0);
    }

    /** {@code gain} times the identity matrix; 2-D shapes only. */
    public static Initializer identity(double gain) {
        return new IdentityInitializer(gain);
    }

    public static Initializer zeros() {
        return new ConstantInitializer("zeros", 0.0);
    }

    public static Initializer ones() {
        return new ConstantInitializer("ones", 1.0);
    }

    /** Every element {@code value} (Keras' Constant; its default value is 0). */
    public static Initializer constant(double value) {
        return new ConstantInitializer("constant", value);
    }

    /**
     * The initializer of a Keras name ({@code glorot_uniform}) or class name ({@code GlorotUniform}),
     * case-insensitive, with default parameters and no seed.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Initializer get(String name) {
        String key = lookupName(name);
        if (key == null) {
            throw Registry.unknown("Initializers.get", "initializer", name, REGISTRY.displayNames());
        }
        return REGISTRY.create(key, Map.of(), "Initializers.get");
    }

    /** The registered name {@code name} is known by, as given or in snake case ({@code glorotUniform}); null if none. */
    private static String lookupName(String name) {
        if (name == null) {
            return null;
        }
        if (REGISTRY.contains(name)) {
            return name;
        }
        String snake = KerasNames.snakeCase(name.trim());
        return REGISTRY.contains(snake) ? snake : null;
    }

    /** Keras' serialized form: {@code {class_name: "GlorotUniform", config: {seed: null}}}. */
    public static Map<String, Object> serialize(Initializer initializer) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("class_name", camelCase(initializer.kerasName()));
        out.put("config", initializer.config());
        return out;
    }

    /**
     * Reads back {@link #serialize}'s form (or a plain name, as {@link #get}), with its parameters.
     *
     * @throws IllegalArgumentException for an unknown class or a bad parameter
     */
    public static Initializer deserialize(Object serialized) {
        if (serialized instanceof String name) {
            return get(name);
        }
        if (!(serialized instanceof Map<?, ?> map) || !(map.get("class_name") instanceof String className)) {
            throw new IllegalArgumentException("Initializers.deserialize: expected {class_name, config} or a name, got "
                    + serialized);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> config = map.get("config") instanceof Map<?, ?> c ? (Map<String, Object>) c : Map.of();
        String key = lookupName(className);
        if (key == null) {
            throw Registry.unknown("Initializers.deserialize", "initializer class", className, REGISTRY.names());
        }
        return REGISTRY.create(key, config, "Initializers.deserialize");
    }

    private static Initializer varianceScaling(String kerasName, Long seed) {
        return switch (kerasName) {
            case "glorot_uniform" -> new VarianceScaling(kerasName, 1.0, VarianceScaling.Mode.FAN_AVG, true, seed);
            case "glorot_normal" -> new VarianceScaling(kerasName, 1.0, VarianceScaling.Mode.FAN_AVG, false, seed);
            case "he_normal" -> new VarianceScaling(kerasName, 2.0, VarianceScaling.Mode.FAN_IN, false, seed);
            case "he_uniform" -> new VarianceScaling(kerasName, 2.0, VarianceScaling.Mode.FAN_IN, true, seed);
            case "lecun_normal" -> new VarianceScaling(kerasName, 1.0, VarianceScaling.Mode.FAN_IN, false, seed);
            case "lecun_uniform" -> new VarianceScaling(kerasName, 1.0, VarianceScaling.Mode.FAN_IN, true, seed);
            default -> throw new IllegalStateException("no variance-scaling initializer " + kerasName);
        };
    }

    /** {@code glorot_uniform} to {@code GlorotUniform}. */
    private static String camelCase(String snake) {
        StringBuilder out = new StringBuilder();
        for (String part : snake.split("_")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }

    /** The longest array HotSpot allocates: a few slots short of Integer.MAX_VALUE are taken by the header. */
    private static final int MAX_JAVA_ARRAY = Integer.MAX_VALUE - 8;

    /**
     * An array of {@code shape} filled in row-major order with {@code sample}, drawn in double precision. The
     * values are drawn into a Java array first, so the weight must fit one, and the heap must hold it.
     */
    static INDArray fill(long[] shape, DataType dtype, DoubleSupplier sample) {
        requireFloating(dtype);
        long count = Shapes.byteCount(shape, DataType.BYTE);   // the element count, saturated instead of wrapped
        if (count > MAX_JAVA_ARRAY) {
            throw new IllegalArgumentException("Initializer: a weight of shape " + Shapes.format(shape) + " has "
                    + (count == Long.MAX_VALUE ? "more than 2^63" : String.valueOf(count)) + " elements; random "
                    + "initializers fill a Java array, which holds at most " + MAX_JAVA_ARRAY);
        }
        int n = (int) count;
        try {
            if (dtype == DataType.DOUBLE) {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = sample.getAsDouble();
                }
                return Nd4j.create(v, shape, 'c');
            }
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) sample.getAsDouble();
            }
            INDArray a = Nd4j.create(v, shape, 'c');
            return dtype == DataType.FLOAT ? a : a.castTo(dtype);
        } catch (OutOfMemoryError e) {
            // the one large request failed and nothing else was half done, so it can be reported like any refusal
            throw new IllegalArgumentException("Initializer: a weight of shape " + Shapes.format(shape) + " " + dtype
                    + " does not fit in the Java heap (-Xmx " + MemoryBudget.format(Runtime.getRuntime().maxMemory())
                    + "), where random initializers draw it first: " + e.getMessage(), e);
        }
    }

    static void requireFloating(DataType dtype) {
        if (dtype == null || !dtype.isFPType()) {
            throw new IllegalArgumentException("Initializer: weights need a floating data type, got " + dtype);
        }
    }
}
