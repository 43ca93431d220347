package io.jasyncio.internal.io;

import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.TaskImpl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;

/**
 * A {@link ByteSource} over a blocking {@link InputStream} (a child process's stdout or stderr): a
 * pump thread ({@link Pump}) reads the stream and hands each chunk to the loop with {@link
 * LoopImpl#callSoonThreadsafe}; the reader takes the chunks on the loop.
 *
 * <p><b>Bounded read-ahead.</b> The pump never holds more than {@code readAhead} bytes that the
 * reader has not taken yet: once it has, it stops reading the stream until the reader catches up,
 * so a child that writes faster than the reader reads blocks on its full pipe, exactly as it would
 * if nobody read at all. Memory per pipe is therefore at most the read-ahead plus the reader's own
 * buffer.
 *
 * <p><b>Threads.</b> The queue of chunks, the end-of-stream and failure flags and the waiting task
 * belong to the loop (touched only by its baton holder). The pump shares with the loop only the
 * byte count in flight and the released flag, under {@link #lock}. The stream is closed by whoever
 * ends first: the pump at end of stream or on failure, or {@link #close()}/{@link #release()}
 * (closing a process pipe from another thread does not wait for a read in progress, but it does not
 * end it either: the read returns when the child writes, exits or closes its end; a grandchild
 * holding the pipe keeps it blocked).
 */
public final class PipeSource extends Pump implements ByteSource {
  private static final Object CLOSED = new Object();
  private static final int MAX_CHUNK = 64 * 1024;

  private final InputStream in;
  private final int readAhead;

  // Shared with the pump, under lock.
  private final Condition credit = lock.newCondition();
  private long inFlight;

  // Loop only.
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private int headOffset;
  private boolean eof;
  private IOException failure;
  private TaskImpl<?> waiter;
  private boolean closed;

  /**
   * Starts pumping {@code in} for {@code loop}.
   *
   * @param loop the loop whose tasks read
   * @param in the blocking stream; this source owns (closes) it
   * @param readAhead the most bytes read from the stream and not yet taken by the reader; positive
   * @param name for thread names and messages, e.g. "stdout of pid 42"
   */
  public PipeSource(LoopImpl loop, InputStream in, int readAhead, String name) {
    super(loop, name);
    if (readAhead <= 0) {
      throw new IllegalArgumentException("readAhead must be positive: " + readAhead);
    }
    this.in = in;
    this.readAhead = readAhead;
    start();
  }

  // ---- pump thread ----

  @Override
  void pump() throws IOException, InterruptedException {
    byte[] buf = new byte[Math.min(readAhead, MAX_CHUNK)];
    for (; ; ) {
      int room;
      lock.lock();
      try {
        while (!released && inFlight >= readAhead) {
          credit.await();
        }
        if (released) {
          return;
        }
        room = (int) Math.min(buf.length, readAhead - inFlight);
      } finally {
        lock.unlock();
      }
      int n = in.read(buf, 0, room);
      if (n < 0) {
        post(this::onEof);
        return;
      }
      if (n == 0) {
        continue;
      }
      byte[] chunk = java.util.Arrays.copyOf(buf, n);
      lock.lock();
      try {
        if (released) {
          return;
        }
        inFlight += n;
      } finally {
        lock.unlock();
      }
      if (!post(() -> onData(chunk))) {
        return;
      }
    }
  }

  @Override
  void closeStream() {
    Closeables.closeQuietly(in);
  }

  // ---- loop side ----

  private void onData(byte[] chunk) {
    if (closed) {
      return;
    }
    chunks.add(chunk);
    wake(null);
  }

  private void onEof() {
    eof = true;
    wake(null);
  }

  @Override
  void onFailure(IOException e) {
    if (failure == null) {
      failure = e;
    }
    wake(null);
  }

  private void wake(Object value) {
    TaskImpl<?> t = waiter;
    if (t != null) {
      waiter = null;
      t.resume(value);
    }
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (closed) {
      throw new AsynchronousCloseException();
    }
    int n = 0;
    byte[] head;
    while (dst.hasRemaining() && (head = chunks.peek()) != null) {
      int k = Math.min(dst.remaining(), head.length - headOffset);
      dst.put(head, headOffset, k);
      headOffset += k;
      n += k;
      if (headOffset == head.length) {
        chunks.poll();
        headOffset = 0;
      }
    }
    if (n > 0) {
      lock.lock();
      try {
        inFlight -= n;
        if (inFlight < readAhead) {
          credit.signal();
        }
      } finally {
        lock.unlock();
      }
      return n;
    }
    if (failure != null) {
      throw new IOException("reading the " + name + " failed: " + failure.getMessage(), failure);
    }
    return eof ? -1 : 0;
  }

  @Override
  public void awaitReadable() throws IOException {
    if (closed) {
      throw new AsynchronousCloseException();
    }
    if (!chunks.isEmpty() || eof || failure != null) {
      return;
    }
    TaskImpl<?> me = LoopImpl.currentTask("read");
    if (LoopImpl.currentOrNull() != loop) {
      throw new IllegalStateException(
          "the " + name + " belongs to another event loop than the calling task's");
    }
    if (waiter != null) {
      throw new IllegalStateException(
          "read: another task is already waiting on the " + name + "; one reader at a time");
    }
    waiter = me;
    Object v =
        me.suspend(
            t -> {
              if (waiter == t) {
                waiter = null;
              }
              return t.resume(TaskImpl.WAKE_CANCELLED);
            });
    if (v == CLOSED) {
      throw new AsynchronousCloseException();
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  /**
   * Closes the source on the loop: drops what is queued, wakes a waiting reader with {@link
   * AsynchronousCloseException}, stops the pump and closes the stream. Idempotent.
   */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    chunks.clear();
    headOffset = 0;
    release();
    wake(CLOSED);
  }

  /**
   * The thread-safe part of {@link #close()}: stops the pump and closes the stream at once (a
   * process pipe's close does not wait for a read in progress; that read ends when the child
   * writes, exits or closes its end, and its result is dropped). Any thread.
   */
  @Override
  public void release() {
    lock.lock();
    try {
      released = true;
      credit.signal();
    } finally {
      lock.unlock();
    }
    closeStream();
  }

  @Override
  public String toString() {
    return "PipeSource[" + name + (closed ? ", closed" : eof ? ", eof" : "") + "]";
  }
}
