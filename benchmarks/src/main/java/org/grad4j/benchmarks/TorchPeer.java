package org.grad4j.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * PyTorch as an optional peer (issue 17): when a Python with {@code torch} can be found, each workload is also
 * trained by {@code torch_peer.py} (a resource of this module) with the same sizes, batch, warm-up, rounds and
 * steps per block, on 2 threads, its blocks alternating with the Java sides' (see {@link #start}), and its medians
 * join the report as
 * {@code torch=} and {@code ratio_torch=}. Its data is drawn from the same distributions (W6, W7: the same
 * Fashion-MNIST files) but by PyTorch's generator, so its losses are not compared. Pythons tried, in order:
 * {@code $GRAD4J_PYTHON}, {@code python3} on the PATH, {@code /usr/bin/python3}; none with torch skips it, and so does
 * {@code GRAD4J_PYTHON=none}.
 */
final class TorchPeer {
    static final int THREADS = 2;
    private static final long PROBE_SECONDS = 120;
    private static final long RUN_SECONDS = 1800;

    /** The Python with torch and torch's version, or a note why there is none; probed once. */
    private static Probe probe;

    private TorchPeer() {
    }

    /** @param matmulGflops the rate of a 512 x 512 x 512 float32 product on {@link #THREADS} threads, NaN if unknown */
    record Probe(String python, String version, double matmulGflops, String note) {
    }

    /**
     * Below this rate PyTorch's products are not on an optimised BLAS. Debian's {@code python3-torch} calls the
     * system's {@code libblas.so.3}, which is the unoptimised reference BLAS unless an OpenBLAS package provides
     * it: measured here, a 256 x 2048 x 2048 product took 13.5 ms on 2 threads with {@code libopenblas0-pthread}
     * installed, and W5's PyTorch step 1,745 ms without it (128-174 ms with it, stop 26's runs).
     */
    static final double SLOW_BLAS_GFLOPS = 20;

    /** The probe: torch's version, and the rate of one product after a first one that warms it. */
    private static final String PROBE_SCRIPT = String.join("\n",
            "import time, torch",
            "torch.set_num_threads(" + THREADS + ")",
            "a = torch.rand(512, 512); b = torch.rand(512, 512); a @ b",
            "t = time.perf_counter()",
            "for _ in range(4): a @ b",
            "print('TORCH ' + torch.__version__)",
            "print('MATMUL %.1f' % (4 * 2 * 512 ** 3 / (time.perf_counter() - t) / 1e9))");

    /** The peer's session for one workload, or null and a one-line note saying why there is none. */
    record Outcome(Session session, String note) {
    }

    static synchronized Probe probe() {
        if (probe == null) {
            probe = find(candidates());
        }
        return probe;
    }

    /** A line for the top of the output: the peer, or why it is skipped. */
    static String describe() {
        return describe(probe());
    }

    static String describe(Probe p) {
        if (p.python() == null) {
            return "PyTorch peer: skipped, " + p.note();
        }
        String line = "PyTorch peer: " + p.python() + ", torch " + p.version() + ", " + THREADS + " threads";
        if (Double.isNaN(p.matmulGflops())) {
            return line;
        }
        line += String.format(Locale.ROOT, ", a 512x512x512 product at %.1f GFLOP/s", p.matmulGflops());
        return p.matmulGflops() >= SLOW_BLAS_GFLOPS ? line : line + " (slow: this torch's BLAS looks like the "
                + "unoptimised reference one; on Debian, apt-get install libopenblas0 gives it OpenBLAS)";
    }

    static List<String> candidates() {
        Set<String> out = new LinkedHashSet<>();
        String env = System.getenv("GRAD4J_PYTHON");
        if (env != null && env.trim().equals("none")) {
            return List.of();
        }
        if (env != null && !env.isBlank()) {
            out.add(env.trim());
        }
        out.add("python3");
        out.add("/usr/bin/python3");
        return new ArrayList<>(out);
    }

    private static Probe find(List<String> pythons) {
        for (String python : pythons) {
            try {
                Result r = exec(List.of(python, "-c", PROBE_SCRIPT), PROBE_SECONDS);
                String version = null;
                double gflops = Double.NaN;
                for (String line : r.stdout().split("\n")) {
                    if (line.startsWith("TORCH ")) {
                        version = line.substring(6).trim();
                    } else if (line.startsWith("MATMUL ")) {
                        gflops = parseOrNaN(line.substring(7).trim());
                    }
                }
                if (r.exitCode() == 0 && version != null) {
                    return new Probe(python, version, gflops, null);
                }
            } catch (IOException e) {
                // not installed under that name: try the next
            }
        }
        return new Probe(null, null, Double.NaN, pythons.isEmpty() ? "GRAD4J_PYTHON=none"
                : "no Python with torch among " + pythons + " (set GRAD4J_PYTHON to one)");
    }

    private static double parseOrNaN(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * Starts workload {@code w} in PyTorch as a side of the contest: {@code torch_peer.py --serve} builds its model
     * and data, then trains one block of the Java sides' steps each time the contest reaches it, between the Java
     * sides' blocks (warm-up included), so that the machine's load of the moment hits PyTorch as it hits them.
     * Skipped when there is no peer.
     */
    static Outcome start(Workload w) {
        Probe p = probe();
        if (p.python() == null) {
            return new Outcome(null, null);
        }
        List<String> command = new ArrayList<>(List.of(p.python(), script().toString(), "--id", w.id(),
                "--samples", Long.toString(samples(w)), "--batch", Integer.toString(w.batchSize()),
                "--warmup", "0", "--rounds", "0", "--steps", Integer.toString(w.contest().stepsPerBlock()),
                "--threads", Integer.toString(THREADS), "--serve"));
        if (w.id().equals("W6") || w.id().equals("W7")) {
            Path folder = FashionData.localCopy(FashionData.candidates());
            if (folder != null) {
                command.add("--fashion");
                command.add(folder.toString());
            }
        }
        try {
            return new Outcome(new Session(command), null);
        } catch (IOException | IllegalStateException e) {
            return new Outcome(null, "torch: failed to start: " + e.getMessage());
        }
    }

    /** A running {@code torch_peer.py --serve}: a {@link Side} whose blocks run in that process. */
    static final class Session implements Side, AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private final Writer in;
        private final Thread watchdog;
        private double secondsPerStep = Double.NaN;
        private String last = "";

        Session(List<String> command) throws IOException {
            process = peer(command).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            // a hung peer must not hang the benchmark: it is killed after the run's time limit
            watchdog = new Thread(() -> {
                try {
                    if (!process.waitFor(RUN_SECONDS, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "torch-peer-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            String ready = await("READY");
            if (ready == null) {
                close();
                throw new IllegalStateException("torch_peer.py ended before it was ready: " + last);
            }
        }

        @Override
        public String name() {
            return Report.TORCH;
        }

        @Override
        public void run(int steps) {
            try {
                in.write("BLOCK\n");
                in.flush();
            } catch (IOException e) {
                throw new IllegalStateException("torch_peer.py stopped reading (" + last + ")", e);
            }
            String answer = await("SECONDS ");
            if (answer == null) {
                throw new IllegalStateException("torch_peer.py ended during a block: " + last);
            }
            try {
                secondsPerStep = Double.parseDouble(answer.substring(8).trim());
            } catch (NumberFormatException e) {
                throw new IllegalStateException("torch_peer.py answered \"" + answer + "\", not SECONDS and a number", e);
            }
        }

        @Override
        public double selfTimedNanosPerStep() {
            return secondsPerStep * 1e9;
        }

        @Override
        public boolean inProcess() {
            return false;
        }

        /** The first line starting with {@code prefix} (other lines, warnings say, are passed over), or null at the end. */
        private String await(String prefix) {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    last = line;
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException("reading torch_peer.py's output: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                in.write("END\n");
                in.close();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            watchdog.interrupt();
        }
    }

    /** The training set size of the grad4j fit side, which PyTorch then uses too. */
    private static long samples(Workload w) {
        for (Trainee t : w.grad4j()) {
            if (t instanceof Grad4jFit fit) {
                return fit.samples();
            }
        }
        throw new IllegalStateException(w.id() + " has no fit side to take its size from");
    }

    private static Path script() {
        try (InputStream in = TorchPeer.class.getResourceAsStream("/torch_peer.py")) {
            if (in == null) {
                throw new IllegalStateException("torch_peer.py is missing from the benchmarks' resources");
            }
            Path file = Files.createTempFile("grad4j-torch-peer", ".py");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write torch_peer.py to a temporary file: " + e.getMessage(), e);
        }
    }

    /**
     * {@code command} with stderr folded into stdout, in the environment PyTorch's peer was always measured in: its
     * OpenMP variable at 1 (it sets its own 2 intra-op threads); without it, idle OpenMP workers spun and a W6 step
     * read 2-30 ms instead of ~1.
     */
    private static ProcessBuilder peer(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putIfAbsent("OMP_NUM_THREADS", "1");
        return builder;
    }

    private record Result(int exitCode, String stdout) {
    }

    /** Runs {@code command} (its output kept in a file, so a hung child cannot block the read), killing it after {@code seconds}. */
    private static Result exec(List<String> command, long seconds) throws IOException {
        Path log = Files.createTempFile("grad4j-torch-peer", ".log");
        try {
            Process process = peer(command).redirectOutput(log.toFile()).start();
            try {
                if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IOException(command.get(0) + " did not finish in " + seconds + " s");
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + command.get(0), e);
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
