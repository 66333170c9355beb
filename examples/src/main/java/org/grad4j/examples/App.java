package org.grad4j.examples;

import java.io.PrintStream;
import java.util.List;

/** One runnable example: a name for the launcher, one line for the list, its options and its body. */
public interface App {
    String name();

    String description();

    /** The app's own options; {@link Options#withCommon} adds {@code --out} and {@code --no-plots}. */
    default List<Options.Spec> options() {
        return Options.withCommon();
    }

    /**
     * The options the no-argument run of every app gives this one: none, unless its defaults take minutes (real
     * data, many epochs), when they trade the result for a run of seconds. {@code examples/run <app>} alone gives
     * the full run.
     */
    default List<String> quickArgs() {
        return List.of();
    }

    /**
     * Runs the app, printing to {@code out}.
     *
     * @param options the parsed command line (after the app's name)
     */
    void run(Options options, PrintStream out) throws Exception;
}
