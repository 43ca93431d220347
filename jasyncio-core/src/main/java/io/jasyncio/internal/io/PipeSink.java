package io.jasyncio.internal.io;

import io.jasyncio.internal.LoopImpl;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;

/**
 * A {@link ByteSink} over a blocking {@link OutputStream} (a child process's stdin): {@link #write}
 * queues up to {@code window} bytes without waiting, and a pump thread ({@link Pump}) writes the
 * queue to the stream, telling the loop (through {@link LoopImpl#callSoonThreadsafe}) each time it
 * has written a chunk, which runs the writer's writable callback.
 *
 * <p>The window plays the part of a socket's send buffer: bytes in it count as {@link
 * #hasBuffered() buffered by the sink}, so the writer closes or half-closes only once they are all
 * written, and its high-water mark applies on top of it. A child that does not read fills its pipe,
 * the pump blocks, the window fills, the writer's buffer rises past the high-water mark and {@code
 * write} suspends: memory stays bounded.
 *
 * <p><b>Threads.</b> The pump owns the stream: while it is inside a write, only the pump closes the
 * stream (a process pipe's close would wait for that write to end); when it is idle, {@link
 * #close()} and {@link #shutdownOutput()} close the stream at once on the calling thread, so a
 * closed sink has released its descriptor unless a write was blocked in the kernel. That write ends
 * when the child reads or exits (the pump then closes the stream); {@link #awaitPumpExit(Duration)}
 * waits for it.
 */
public final class PipeSink extends Pump implements ByteSink {
  private final OutputStream out;
  private final int window;

  // Shared with the pump, under lock.
  private final Condition work = lock.newCondition();
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private long queued;
  private boolean writing;
  private boolean shutdown;
  private boolean progressPosted;

  // Loop only.
  private Runnable onWritable;
  private IOException failure;
  private boolean closed;

  /**
   * Starts the pump writing {@code out} for {@code loop}.
   *
   * @param loop the loop whose tasks write
   * @param out the blocking stream; this sink owns (closes) it
   * @param window the most bytes queued for the pump; positive
   * @param name for thread names and messages, e.g. "stdin of pid 42"
   */
  public PipeSink(LoopImpl loop, OutputStream out, int window, String name) {
    super(loop, name);
    if (window <= 0) {
      throw new IllegalArgumentException("window must be positive: " + window);
    }
    this.out = out;
    this.window = window;
    start();
  }

  // ---- pump thread ----

  @Override
  void pump() throws IOException, InterruptedException {
    for (; ; ) {
      byte[] b;
      lock.lock();
      try {
        while (!released && !shutdown && queue.isEmpty()) {
          work.await();
        }
        if (released || queue.isEmpty()) {
          return; // closed, or shut down with everything written
        }
        b = queue.peek();
        writing = true;
      } finally {
        lock.unlock();
      }
      try {
        out.write(b);
        out.flush();
      } finally {
        lock.lock();
        try {
          writing = false;
        } finally {
          lock.unlock();
        }
      }
      boolean post;
      lock.lock();
      try {
        if (released) {
          return;
        }
        queue.poll();
        queued -= b.length;
        post = !progressPosted;
        progressPosted = true;
      } finally {
        lock.unlock();
      }
      if (post && !post(this::onProgress)) {
        return;
      }
    }
  }

  @Override
  void closeStream() {
    Closeables.closeQuietly(out);
  }

  // ---- loop side ----

  private void onProgress() {
    lock.lock();
    try {
      progressPosted = false;
    } finally {
      lock.unlock();
    }
    Runnable cb = onWritable;
    if (cb != null) {
      cb.run();
    }
  }

  @Override
  void onFailure(IOException e) {
    if (closed) {
      return;
    }
    if (failure == null) {
      failure = e;
    }
    Runnable cb = onWritable;
    if (cb != null) {
      cb.run();
    }
  }

  private IOException failure() {
    return new IOException("writing to the " + name + " failed: " + failure.getMessage(), failure);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    if (closed) {
      throw new AsynchronousCloseException();
    }
    if (failure != null) {
      throw failure();
    }
    lock.lock();
    try {
      long room = window - queued;
      if (room <= 0 || shutdown || !src.hasRemaining()) {
        return 0;
      }
      int n = (int) Math.min(room, src.remaining());
      byte[] b = new byte[n];
      src.get(b);
      queue.add(b);
      queued += n;
      work.signal();
      return n;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean hasBuffered() {
    lock.lock();
    try {
      return queued > 0;
    } finally {
      lock.unlock();
    }
  }

  /** Nothing to push from the loop: the pump writes on its own. True once the queue is written. */
  @Override
  public boolean flush() throws IOException {
    if (failure != null) {
      throw failure();
    }
    return !hasBuffered();
  }

  @Override
  public void onWritable(Runnable callback) {
    onWritable = callback;
  }

  @Override
  public void stopWritable() {
    onWritable = null;
  }

  /** Closes the pipe once the queue is written (the writer calls this when the queue is empty). */
  @Override
  public void shutdownOutput() {
    boolean idle;
    lock.lock();
    try {
      shutdown = true;
      idle = !writing && queue.isEmpty();
      work.signal();
    } finally {
      lock.unlock();
    }
    if (idle) {
      closeStream();
    }
  }

  /** Drops the queue and closes the pipe: at once if the pump is idle, else after its write. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    onWritable = null;
    release();
  }

  /**
   * The child exited, so its stdin takes nothing more: ends the pump as {@link #release()} does and
   * fails the writer on the loop ("the child exited"), so that a write or drain waiting for room
   * ends instead of waiting forever. Any thread; nothing happens if the sink was released.
   */
  public void childExited() {
    if (isReleased()) {
      return;
    }
    release();
    post(() -> onFailure(new IOException("the child exited")));
  }

  /** The thread-safe part of {@link #close()}. Any thread. */
  @Override
  public void release() {
    boolean idle;
    lock.lock();
    try {
      released = true;
      queue.clear();
      queued = 0;
      idle = !writing;
      work.signal();
    } finally {
      lock.unlock();
    }
    if (idle) {
      closeStream();
    }
  }

  /**
   * Waits, blocking the calling thread up to {@code max}, for the pump to end (after {@link
   * #release()}: once a write blocked in the kernel has returned, the stream is closed).
   *
   * @return whether the pump has ended
   */
  public boolean awaitPumpExit(Duration max) {
    try {
      return thread().join(max);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !thread().isAlive();
    }
  }

  @Override
  public String toString() {
    return "PipeSink[" + name + (closed ? ", closed" : "") + "]";
  }
}
