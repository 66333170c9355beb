package org.grad4j.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The launcher: {@code Examples <app> [options]} runs one app, {@code Examples list} lists them with
 * their options, and no arguments runs every app in turn with its defaults, except that an app whose defaults take
 * minutes runs with its {@link App#quickArgs()}.
 */
public final class Examples {
    private static final List<App> APPS = List.of(new RegressionApp(), new LinearRegressionApp(),
            new BinaryClassificationApp(), new MulticlassApp(), new AutodiffTour(), new OptimizersApp(),
            new FashionMnistApp(), new FashionCnnApp(), new SequenceApp());

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

    /** The {@code main} of one app: runs it as if its name came first on the command line. */
    static void mainOf(App app, String[] args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = app.name();
        System.arraycopy(args, 0, all, 1, args.length);
        main(all);
    }

    /** Runs the command line; returns the process exit code. */
    static int launch(String[] args, PrintStream out, PrintStream err) throws Exception {
        Map<String, App> apps = apps();
        if (args.length == 0) {
            for (App app : apps.values()) {
                List<String> quick = app.quickArgs();
                out.println("=== " + app.name() + ": " + app.description());
                if (!quick.isEmpty()) {
                    out.println("(a quick run: " + String.join(" ", quick) + "; \"examples/run " + app.name()
                            + "\" gives the full one)");
                }
                app.run(Options.parse(app.name(), app.options(), quick.toArray(String[]::new)), out);
                out.println();
            }
            return 0;
        }
        String name = args[0];
        if (name.equals("list") || name.equals("--help") || name.equals("-h")) {
            out.println("usage: examples/run [app] [options]   (no app runs them all, the real-data ones briefly)");
            for (App app : apps.values()) {
                out.printf("  %-22s %s%n", app.name(), app.description());
                out.print(Options.usage(app.options()));
            }
            return 0;
        }
        App app = apps.get(name);
        if (app == null) {
            err.println("unknown app \"" + name + "\" (known: " + String.join(", ", apps.keySet()) + ")");
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (Arrays.asList(rest).contains("--help")) {
            out.println("usage: examples/run " + name + " [options]");
            out.print(Options.usage(app.options()));
            return 0;
        }
        try {
            app.run(Options.parse(name, app.options(), rest), out);
        } catch (Options.UsageException e) {
            err.println(e.getMessage());
            err.println("options of " + name + ":");
            err.print(Options.usage(app.options()));
            return 2;
        }
        return 0;
    }
}
