package org.grad4j.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The launcher: {@code Examples <app> [options]} runs one app, {@code Examples list} lists them, and no
 * arguments runs every app in turn.
 */
public final class Examples {
    private static final List<App> APPS = List.of(new AutodiffTour());

    private Examples() {
    }

    public static Map<String, App> apps() {
        Map<String, App> byName = new LinkedHashMap<>();
        for (App app : APPS) {
            byName.put(app.name(), app);
        }
        return byName;
    }

    public static void main(String[] args) throws Exception {
        System.exit(launch(args, System.out, System.err));
    }

    /** Runs the command line; returns the process exit code. */
    static int launch(String[] args, PrintStream out, PrintStream err) throws Exception {
        Map<String, App> apps = apps();
        if (args.length == 0) {
            for (App app : apps.values()) {
                out.println("=== " + app.name() + ": " + app.description());
                app.run(new String[0], out);
                out.println();
            }
            return 0;
        }
        String name = args[0];
        if (name.equals("list") || name.equals("--help") || name.equals("-h")) {
            out.println("usage: examples/run [app] [options]   (no app runs them all)");
            apps.values().forEach(a -> out.printf("  %-22s %s%n", a.name(), a.description()));
            return 0;
        }
        App app = apps.get(name);
        if (app == null) {
            err.println("unknown app \"" + name + "\" (known: " + apps.keySet().stream().collect(Collectors.joining(", ")) + ")");
            return 2;
        }
        app.run(Arrays.copyOfRange(args, 1, args.length), out);
        return 0;
    }
}
