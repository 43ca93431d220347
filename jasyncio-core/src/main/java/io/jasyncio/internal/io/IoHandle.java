package io.jasyncio.internal.io;

import io.jasyncio.internal.CancelHook;
import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.TaskImpl;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A channel registered with its loop's {@link Poller}: at most one task waiting to read (or accept)
 * and one waiting to write (or connect), or a writable callback for buffered writers.
 *
 * <p>States of each side: idle (no waiter) -> waiting (task suspended, interest set) -> idle
 * (resumed by readiness, by cancellation through this {@link CancelHook}, or by {@link
 * #closeChannel()}, which wakes it with {@link AsynchronousCloseException}). Loop thread only.
 */
public final class IoHandle implements CancelHook {
  private static final Object CLOSED = new Object();
  private static final int READ_SIDE = SelectionKey.OP_READ | SelectionKey.OP_ACCEPT;
  private static final int WRITE_SIDE = SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;

  private final Poller poller;
  private final SelectableChannel channel;
  SelectionKey key;
  private int interest;
  private TaskImpl<?> reader;
  private TaskImpl<?> writer;
  private Runnable onWritable;
  private boolean closed;

  IoHandle(Poller poller, SelectableChannel channel) {
    this.poller = poller;
    this.channel = channel;
  }

  /** The loop whose poller registered the channel: the only one that may use it. */
  public LoopImpl loop() {
    return poller.loop();
  }

  /** Whether {@link #closeChannel()} ran. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * <b>Suspends</b> the current task until the channel is ready for {@code op} ({@link
   * SelectionKey#OP_READ}, {@code OP_ACCEPT}, {@code OP_WRITE} or {@code OP_CONNECT}).
   *
   * @throws AsynchronousCloseException if the channel is closed meanwhile
   * @throws io.jasyncio.CancelledError if the task is cancelled (the wait is undone)
   * @throws IllegalStateException if the caller is not a task of the loop that registered the
   *     channel (its thread resumes the waiter: another loop's task must never wait here)
   */
  public void await(int op, String what) throws IOException {
    if (closed) {
      throw new AsynchronousCloseException();
    }
    TaskImpl<?> me = LoopImpl.currentTaskOn(poller.loop(), "channel", what);
    boolean readSide = (op & READ_SIDE) != 0;
    if (readSide ? reader != null : writer != null) {
      throw new IllegalStateException(
          what + ": another task is already waiting on this stream; one reader and one writer");
    }
    if (readSide) {
      reader = me;
    } else {
      writer = me;
    }
    addInterest(op);
    Object v = me.suspend(this);
    if (v == CLOSED) {
      throw new AsynchronousCloseException();
    }
  }

  /**
   * Sets (or with null clears) a callback run on the loop when the channel is writable; it must
   * call {@link #stopWritable()} once it has nothing more to write.
   */
  public void onWritable(Runnable callback) {
    onWritable = callback;
    addInterest(SelectionKey.OP_WRITE);
  }

  /** Drops the writable callback and its interest. */
  public void stopWritable() {
    onWritable = null;
    removeInterest(SelectionKey.OP_WRITE);
  }

  /**
   * Whether the selector still watches for {@code op}: set by a wait, kept while readiness goes to
   * a waiter, dropped when the selector reports readiness that nobody waits for. So a set read
   * interest means no bytes have been reported and left unclaimed since the last wait.
   */
  public boolean isWatching(int op) {
    return (interest & op) == op;
  }

  private void addInterest(int op) {
    if ((interest & op) != op && !closed) {
      interest |= op;
      poller.setInterest(key, interest);
    }
  }

  private void removeInterest(int op) {
    if ((interest & op) != 0 && !closed) {
      interest &= ~op;
      poller.setInterest(key, interest);
    }
  }

  void ready(int ops) {
    int unwanted = 0;
    if ((ops & READ_SIDE) != 0) {
      TaskImpl<?> t = reader;
      if (t != null) {
        reader = null;
        t.resume(null);
      } else {
        unwanted |= ops & READ_SIDE;
      }
    }
    if ((ops & WRITE_SIDE) != 0) {
      TaskImpl<?> t = writer;
      if (t != null) {
        writer = null;
        t.resume(null);
      } else if (onWritable != null && (ops & SelectionKey.OP_WRITE) != 0) {
        onWritable.run();
      } else {
        unwanted |= ops & WRITE_SIDE;
      }
    }
    if (unwanted != 0) {
      removeInterest(unwanted);
    }
  }

  @Override
  public boolean cancelWait(TaskImpl<?> task) {
    if (reader == task) {
      reader = null;
    } else if (writer == task) {
      writer = null;
    }
    return task.resume(TaskImpl.WAKE_CANCELLED);
  }

  /**
   * Deregisters and closes the channel, waking any waiting task with {@link
   * AsynchronousCloseException}. Idempotent.
   */
  public void closeChannel() {
    if (closed) {
      return;
    }
    closed = true;
    onWritable = null;
    key.cancel();
    poller.deregistered();
    Closeables.closeQuietly(channel);
    if (!(channel instanceof SocketChannel)) {
      // a server's or a UDP endpoint's address is free for a new bind when close returns (a
      // connection's socket is shut down at its close already; its descriptor goes at the next
      // poll)
      poller.releaseClosed();
    }
    TaskImpl<?> r = reader;
    TaskImpl<?> w = writer;
    reader = null;
    writer = null;
    if (r != null) {
      r.resume(CLOSED);
    }
    if (w != null) {
      w.resume(CLOSED);
    }
  }
}
