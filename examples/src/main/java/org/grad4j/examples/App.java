package org.grad4j.examples;

import java.io.PrintStream;

/** One runnable example: a name for the launcher, one line for the list, and its body. */
public interface App {
    String name();

    String description();

    /**
     * Runs the app, printing to {@code out}.
     *
     * @param args the app's own options (after its name on the command line)
     */
    void run(String[] args, PrintStream out) throws Exception;
}
