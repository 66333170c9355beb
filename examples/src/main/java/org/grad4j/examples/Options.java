package org.grad4j.examples;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An app's command-line options: {@code --name=value} or {@code --name value}, and bare flags such as
 * {@code --no-plots}. Every app accepts {@code --out DIR} (where pictures go) and {@code --no-plots}; the
 * rest it declares with a default. An unknown name or a bad value fails with a message naming the app,
 * the option, the value and what was expected, before the app does any work.
 */
public final class Options {
    /** A bad command line: the launcher prints the message and the app's options, and exits with 2. */
    public static final class UsageException extends IllegalArgumentException {
        public UsageException(String message) {
            super(message);
        }
    }

    /** One declared option: its name without dashes, its default (null for a flag) and one line of help. */
    public record Spec(String name, String defaultValue, String help) {
        public boolean isFlag() {
            return defaultValue == null;
        }
    }

    /** The folder pictures are written to, unless {@code --out} says otherwise. */
    public static final String DEFAULT_OUT = "grad4j-output";

    private final String app;
    private final Map<String, Spec> specs;
    private final Map<String, String> values;

    private Options(String app, Map<String, Spec> specs, Map<String, String> values) {
        this.app = app;
        this.specs = specs;
        this.values = values;
    }

    /** The options every app has, followed by the app's own. */
    public static List<Spec> withCommon(Spec... own) {
        List<Spec> all = new ArrayList<>(List.of(own));
        all.add(new Spec("out", DEFAULT_OUT, "folder the PNG pictures are written to"));
        all.add(new Spec("no-plots", null, "do not draw pictures"));
        return all;
    }

    /** Parses {@code args} against the app's declared options. */
    public static Options parse(String app, List<Spec> declared, String[] args) {
        Map<String, Spec> specs = new LinkedHashMap<>();
        declared.forEach(s -> specs.put(s.name(), s));
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException(app + ": unexpected argument \"" + arg + "\" (options look like --name=value; known: "
                        + known(specs) + ")");
            }
            String body = arg.substring(2);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            Spec spec = specs.get(name);
            if (spec == null) {
                throw new UsageException(app + ": unknown option \"--" + name + "\" (known: " + known(specs) + ")");
            }
            String value;
            if (spec.isFlag()) {
                if (eq >= 0) {
                    throw new UsageException(app + ": --" + name + " is a flag and takes no value, got \"" + arg + "\"");
                }
                value = "true";
            } else if (eq >= 0) {
                value = body.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException(app + ": --" + name + " needs a value (" + spec.help() + ", default "
                        + spec.defaultValue() + ")");
            }
            values.put(name, value);
        }
        Options options = new Options(app, specs, values);
        if (specs.containsKey("out") && options.plots()) {
            options.checkOutFolder();
        }
        return options;
    }

    /**
     * Makes sure pictures can be written to {@code --out} before the app trains anything: the folder is
     * created if missing and a probe file is written and removed, since permission bits alone do not tell
     * (as root every folder looks writable, yet {@code /proc} refuses new entries).
     */
    private void checkOutFolder() {
        String value = raw("out");
        Path dir;
        try {
            dir = Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException(app + ": --out \"" + value + "\" is not a valid path (" + e.getReason() + ")");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageException(app + ": --out \"" + value + "\" is an existing file, not a folder (or use --no-plots)");
        }
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".grad4j-probe", ".tmp"));
        } catch (IOException | SecurityException e) {
            throw new UsageException(app + ": --out \"" + value + "\" is not a folder pictures can be written to ("
                    + describe(e) + "; or use --no-plots)");
        }
    }

    private static String describe(Exception e) {
        return e instanceof FileSystemException fse && fse.getReason() != null
                ? fse.getReason() + ": " + fse.getFile()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String known(Map<String, Spec> specs) {
        return String.join(", ", specs.keySet().stream().map(n -> "--" + n).toList());
    }

    /** The usage lines of the declared options, for {@code --help}-like listings. */
    public static String usage(List<Spec> declared) {
        StringBuilder sb = new StringBuilder();
        for (Spec s : declared) {
            String left = s.isFlag() ? "--" + s.name() : "--" + s.name() + "=" + s.defaultValue();
            sb.append(String.format("    %-26s %s%n", left, s.help()));
        }
        return sb.toString();
    }

    private String raw(String name) {
        Spec spec = specs.get(name);
        if (spec == null) {
            throw new IllegalStateException(app + " reads option --" + name + " that it did not declare");
        }
        return values.getOrDefault(name, spec.defaultValue());
    }

    private UsageException bad(String name, String value, String expected) {
        return new UsageException(app + ": --" + name + " must be " + expected + ", got \"" + value + "\"");
    }

    /** An integer option that must be at least {@code min}. */
    public int integer(String name, int min) {
        String value = raw(name);
        try {
            int parsed = Integer.parseInt(value.replace("_", ""));
            if (parsed >= min) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below, with the expectation
        }
        throw bad(name, value, "an integer ≥ " + min);
    }

    /** A finite number strictly above {@code exclusiveMin}. */
    public double number(String name, double exclusiveMin) {
        String value = raw(name);
        try {
            double parsed = Double.parseDouble(value);
            if (Double.isFinite(parsed) && parsed > exclusiveMin) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below, with the expectation
        }
        throw bad(name, value, "a number > " + exclusiveMin);
    }

    /** A seed or other unconstrained long. */
    public long longValue(String name) {
        String value = raw(name);
        try {
            return Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw bad(name, value, "an integer");
        }
    }

    /** One of a fixed set of words. */
    public String choice(String name, List<String> allowed) {
        String value = raw(name);
        if (!allowed.contains(value)) {
            throw bad(name, value, "one of " + String.join(", ", allowed));
        }
        return value;
    }

    /** A free-form option as given (its default when absent), e.g. a path whose checks belong to the app. */
    public String string(String name) {
        return raw(name);
    }

    /** Whether a flag was given. */
    public boolean flag(String name) {
        return Boolean.parseBoolean(raw(name));
    }

    /** Whether pictures are wanted ({@code --no-plots} turns them off). */
    public boolean plots() {
        return !flag("no-plots");
    }

    /** The folder pictures go to. */
    public Path out() {
        return Path.of(raw("out"));
    }
}
