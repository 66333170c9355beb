package org.grad4j.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Things of one kind (layers, losses, optimizers, metrics ...) by name: each name has a factory that makes
 * a new one from its Keras-style config, the way Keras' {@code get} and {@code from_config} look classes up.
 * Core knows none of the kinds, so each module holds its own instance ({@code Layers.registry()},
 * {@code Losses.registry()} ...) and registers its built-ins there; users add their classes the same way:
 *
 * <pre>{@code
 * Layers.registry().register("ScaleAndShift", ScaleAndShift::fromConfig);
 * Layer l = Layers.fromConfig("ScaleAndShift", Map.of("scale", 2.0));
 * }</pre>
 *
 * A name may have aliases ({@code "mse"} for {@code MeanSquaredError}); lookups of both are the same
 * factory. Registering a taken name is an error unless done with {@link #replace}, so that two libraries
 * cannot silently take each other's names. Thread-safe: every method is synchronized (registration is rare
 * and lookups are cheap next to building what they return).
 *
 * @param <T> what the factories make
 */
public final class Registry<T> {
    /** One registered name: the name as given, its factory, and its aliases (the first is the display name). */
    private record Entry<T>(String name, Function<Map<String, Object>, ? extends T> factory, List<String> aliases) {
    }

    private final String kind;
    private final boolean ignoreCase;
    private final Map<String, Entry<T>> byName = new LinkedHashMap<>();
    private final Map<String, Entry<T>> byAlias = new LinkedHashMap<>();

    /**
     * @param kind       what is registered, for messages: {@code "layer"}, {@code "loss"} ...
     * @param ignoreCase whether {@code "ADAM"} finds {@code "Adam"} (Keras' optimizer lookup does this)
     */
    public Registry(String kind, boolean ignoreCase) {
        this.kind = Objects.requireNonNull(kind);
        this.ignoreCase = ignoreCase;
    }

    /**
     * Registers {@code name} (a Keras class name such as {@code "MyLayer"}) with a factory that builds one from
     * its config, and optional aliases that {@link #create} also accepts.
     *
     * @throws IllegalArgumentException when the name or an alias is taken (use {@link #replace} to mean it)
     */
    public synchronized Registry<T> register(String name, Function<Map<String, Object>, ? extends T> factory,
            String... aliases) {
        check(name, factory, aliases);
        for (String n : all(name, aliases)) {
            if (find(n) != null) {
                throw new IllegalArgumentException("Registry of " + plural() + ": \"" + n + "\" is already registered (as "
                        + find(n).name() + "); call replace(\"" + n + "\", ...) to replace it on purpose");
            }
        }
        put(name, factory, aliases);
        return this;
    }

    /** Registers {@code name} like {@link #register}, replacing whatever had the name or an alias before. */
    public synchronized Registry<T> replace(String name, Function<Map<String, Object>, ? extends T> factory,
            String... aliases) {
        check(name, factory, aliases);
        for (String n : all(name, aliases)) {
            unregister(n);
        }
        put(name, factory, aliases);
        return this;
    }

    /**
     * Removes {@code name} (or the entry an alias belongs to) with its aliases, as when a plugin unloads or a
     * test cleans up after itself; returns whether it was registered.
     */
    public synchronized boolean unregister(String name) {
        Entry<T> entry = name == null ? null : find(name);
        if (entry == null) {
            return false;
        }
        byName.remove(key(entry.name()));
        entry.aliases().forEach(a -> byAlias.remove(key(a)));
        return true;
    }

    /** Whether {@code name} (or an alias) is registered. */
    public synchronized boolean contains(String name) {
        return name != null && find(name) != null;
    }

    /**
     * A new thing made by the factory of {@code name} (or an alias) from {@code config} (null: empty).
     *
     * @throws IllegalArgumentException {@code where: unknown <kind> "name" (known: ...)} for an unregistered name
     */
    public T create(String name, Map<String, Object> config, String where) {
        Entry<T> entry;
        synchronized (this) {
            entry = name == null ? null : find(name);
        }
        if (entry == null) {
            throw unknown(where, kind, name, displayNames());
        }
        return entry.factory().apply(config == null ? Map.of() : config);
    }

    /** The registered names as given ({@code MeanSquaredError}, ...), in registration order. */
    public synchronized List<String> names() {
        return byName.values().stream().map(Entry::name).toList();
    }

    /**
     * One name per entry, as a user would type it: its first alias ({@code mse}) or, without aliases, its
     * name; lower case when lookups ignore case. What {@code get}'s "known" lists show.
     */
    public synchronized List<String> displayNames() {
        List<String> out = new ArrayList<>();
        for (Entry<T> e : byName.values()) {
            String shown = e.aliases().isEmpty() ? e.name() : e.aliases().get(0);
            out.add(ignoreCase ? shown.toLowerCase(Locale.ROOT) : shown);
        }
        return out;
    }

    /** The error for an unknown name: {@code where: unknown <what> "name" (known: a, b, c)}, e.g. what = "loss class". */
    public static IllegalArgumentException unknown(String where, String what, String name, List<String> known) {
        return new IllegalArgumentException(where + ": unknown " + what + " " + (name == null ? "null" : "\"" + name + "\"")
                + " (known: " + String.join(", ", known) + ")");
    }

    private void put(String name, Function<Map<String, Object>, ? extends T> factory, String... aliases) {
        Entry<T> entry = new Entry<>(name, factory, List.of(aliases));
        byName.put(key(name), entry);
        for (String alias : aliases) {
            byAlias.put(key(alias), entry);
        }
    }

    private Entry<T> find(String name) {
        String k = key(name.trim());
        Entry<T> e = byName.get(k);
        return e != null ? e : byAlias.get(k);
    }

    private String key(String name) {
        return ignoreCase ? name.toLowerCase(Locale.ROOT) : name;
    }

    private void check(String name, Function<Map<String, Object>, ? extends T> factory, String... aliases) {
        if (name == null || name.isBlank() || factory == null) {
            throw new IllegalArgumentException("Registry of " + plural() + ": a name and a factory are required, got "
                    + (name == null ? "null" : "\"" + name + "\"") + " and " + factory);
        }
        for (String alias : aliases) {
            if (alias == null || alias.isBlank()) {
                throw new IllegalArgumentException("Registry of " + plural() + ": an alias of \"" + name + "\" is blank");
            }
        }
    }

    private static List<String> all(String name, String... aliases) {
        List<String> out = new ArrayList<>(List.of(aliases));
        out.add(0, name);
        return out;
    }

    private String plural() {
        return kind.endsWith("s") ? kind + "es" : kind + "s";
    }

    @Override
    public String toString() {
        return "Registry of " + plural() + " " + names();
    }
}
