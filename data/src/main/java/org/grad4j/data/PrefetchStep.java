package org.grad4j.data;

import java.lang.ref.Cleaner;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code prefetch(n)}: a daemon thread per pass reads the source up to n elements ahead of the consumer. */
final class PrefetchStep extends Step {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final Cleaner CLEANER = Cleaner.create();

    private final int n;

    PrefetchStep(Dataset source, int n) {
        super(source);
        this.n = n;
    }

    @Override
    public Cursor iterator() {
        return new PrefetchCursor();
    }

    @Override
    public String toString() {
        return source + ".prefetch(" + n + ")";
    }

    /** What the producer hands over besides elements. */
    private record Failure(Throwable error) {
    }

    private static final Object END = new Object();

    /**
     * The queue and stop flag the producer thread shares with its cursor. It holds no reference to the cursor, so
     * a cursor abandoned without close() (a for-each loop left by break) becomes unreachable and its cleaner stops
     * the thread instead of leaving it blocked on a full queue for ever.
     */
    private static final class Channel implements Runnable {
        final BlockingQueue<Object> queue;
        final Dataset source;
        final Thread thread;
        volatile boolean closed;

        Channel(Dataset source, int n) {
            this.queue = new ArrayBlockingQueue<>(n);
            this.source = source;
            this.thread = new Thread(this, "grad4j-prefetch-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            // The upstream pass is opened, read and closed on this thread alone: cursors are not thread-safe.
            try (Cursor in = source.iterator()) {
                while (!closed && in.hasNext()) {
                    queue.put(in.next());
                }
                queue.put(END);
            } catch (InterruptedException e) {
                // stop() asked us to stop; nothing is waiting for more elements
            } catch (Throwable t) {
                if (!closed) {
                    try {
                        queue.put(new Failure(t));
                    } catch (InterruptedException e) {
                        // stopped while handing over the failure: the consumer no longer wants it
                    }
                }
            }
        }

        void stop() {
            closed = true;
            thread.interrupt();   // wakes a producer blocked on a full queue
            queue.clear();
        }
    }

    /** One pass: the producer thread fills a bounded queue, the consumer takes from it in order. */
    final class PrefetchCursor implements Cursor {
        private final Channel channel;
        private final BlockingQueue<Object> queue;
        private final Thread thread;
        private boolean closed;
        private Object head;
        private boolean done;

        PrefetchCursor() {
            channel = new Channel(source, n);
            queue = channel.queue;
            thread = channel.thread;
            CLEANER.register(this, channel::stop);
            thread.start();
        }

        /** The producer thread, for tests that check it has ended. */
        Thread thread() {
            return thread;
        }

        @Override
        public boolean hasNext() {
            if (done) {
                return false;
            }
            if (head == null) {
                head = take();
            }
            if (head == END) {
                finish();
                return false;
            }
            if (head instanceof Failure f) {
                finish();
                Throwable t = f.error();
                throw new DatasetException("Dataset.prefetch: reading " + source + " on the prefetch thread failed: "
                        + t, t);
            }
            return true;
        }

        @Override
        public Element next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Element e = (Element) head;
            head = null;
            return e;
        }

        private Object take() {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                close();
                Thread.currentThread().interrupt();
                throw new DatasetException("Dataset.prefetch: interrupted while waiting for " + source, e);
            }
        }

        /** The producer has given its last item and is ending: wait for it so no thread outlives the pass. */
        private void finish() {
            done = true;
            head = null;
            join();
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            done = true;
            head = null;
            channel.stop();
            join();
        }

        private void join() {
            boolean interrupted = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (thread.isAlive() && System.nanoTime() < deadline) {
                try {
                    thread.join(100);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
