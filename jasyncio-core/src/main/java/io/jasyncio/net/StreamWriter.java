package io.jasyncio.net;

import io.jasyncio.TimerHandle;
import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.io.ByteSink;
import io.jasyncio.internal.io.ConnectionLostException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * The writing half of a connection (asyncio's {@code StreamWriter} and its transport in one).
 *
 * <p>{@link #write} first writes straight to the socket; what the socket does not take is buffered
 * and sent by the loop when the socket becomes writable, with no task involved. <b>Backpressure is
 * on by default</b>: when the buffer exceeds the high-water mark, {@code write} itself suspends
 * until it is back at the low-water mark, so a fast producer never buffers without bound even if it
 * never calls {@link #drain()}.
 *
 * <h2>States</h2>
 *
 * <pre>
 *  open --writeEof--> eof-requested --(buffer flushed)--> output shut down
 *   |                      |
 *   +------close-----------+--> closing --(buffer flushed, or abort, or error)--> closed
 * </pre>
 *
 * A write error (peer reset, broken pipe), or a read error the {@link StreamReader} met, closes the
 * connection; the error is rethrown by the next {@code write}/{@code drain} (and read). Call from
 * tasks of the loop that owns the connection (the one that opened or accepted it; {@code close} and
 * {@code abort} also from its callbacks): from another loop they throw {@link
 * IllegalStateException} naming both loops.
 */
public final class StreamWriter {
  private ByteSink sink; // replaced once by Connection.startTls, when nothing is buffered
  private final LoopImpl loop; // the only loop that may use this writer
  private final int high;
  private final int low;
  private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
  private long pendingBytes;
  private boolean eofRequested;
  private boolean closing;

  /** The sink's graceful end (TLS close_notify) has been queued ({@link ByteSink#beginClose}). */
  private boolean endQueued;

  /** Aborts a close that waits too long for the sink ({@link ByteSink#closeTimeoutNanos}). */
  private TimerHandle closeTimer;

  private boolean closed;
  private IOException failure;

  /** Bytes {@link #abort()} threw away unsent; {@link #drain()} reports them. */
  private long dropped;

  private final TaskWaiters drainWaiters = new TaskWaiters();
  private final TaskWaiters closeWaiters = new TaskWaiters();
  private final Runnable flusher = this::flushFromLoop;

  StreamWriter(ByteSink sink, int high, int low, LoopImpl loop) {
    this.sink = sink;
    this.loop = loop;
    this.high = high;
    this.low = low;
    sink.onFailure(this::fail);
  }

  /** Bytes buffered and not yet taken by the socket. */
  public long bufferedBytes() {
    return pendingBytes;
  }

  /** Whether {@link #close()} or {@link #abort()} was called or the connection failed. */
  public boolean isClosing() {
    return closing || closed;
  }

  /**
   * Writes {@code data}; <b>suspends</b> only when the buffer is above the high-water mark, until
   * it is back at the low-water mark.
   *
   * @throws StreamClosedException after {@link #close()}, {@link #abort()} or {@link #writeEof()}
   * @throws IOException if the connection failed (reset by the peer, broken pipe)
   */
  public void write(byte[] data) throws IOException {
    write(data, 0, data.length);
  }

  /**
   * Writes {@code len} bytes of {@code data} from {@code off}; see {@link #write(byte[])}.
   *
   * @throws IndexOutOfBoundsException if the range is outside {@code data}
   */
  public void write(byte[] data, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, Objects.requireNonNull(data, "data").length);
    checkWritable("write");
    if (len == 0) {
      return;
    }
    ByteBuffer bb = ByteBuffer.wrap(data, off, len);
    if (pending.isEmpty()) {
      try {
        sink.write(bb);
      } catch (IOException e) {
        fail(e);
        throw e;
      }
      if (!bb.hasRemaining()) {
        if (sink.hasBuffered()) {
          sink.onWritable(flusher);
        }
        return;
      }
      sink.onWritable(flusher);
    }
    ByteBuffer copy = ByteBuffer.allocate(bb.remaining());
    copy.put(bb).flip();
    pending.add(copy);
    pendingBytes += copy.remaining();
    if (pendingBytes > high) {
      drain();
    }
  }

  /**
   * <b>Suspends</b> until the buffer is at or below the low-water mark (at once if it is).
   *
   * @throws IOException if the connection failed, now or while waiting
   * @throws StreamClosedException if {@link #abort()} threw buffered data away (also when it did so
   *     while this call waited, as for a {@code write} suspended at the high-water mark)
   * @throws io.jasyncio.CancelledError if cancelled while waiting (the data stays buffered)
   */
  public void drain() throws IOException {
    own("drain");
    while (failure == null && !closed && pendingBytes > low) {
      drainWaiters.await("wait");
    }
    if (failure != null) {
      throw lost();
    }
    if (dropped > 0) {
      throw new StreamClosedException(
          "the stream was aborted with " + dropped + " bytes not yet sent");
    }
  }

  /**
   * Closes the writing direction after the buffered data (TCP half-close); reading goes on. A
   * second call does nothing (as asyncio's {@code write_eof}).
   *
   * @throws StreamClosedException if the writer is closing
   * @throws IOException if the connection failed or the socket refuses
   */
  public void writeEof() throws IOException {
    own("writeEof");
    if (eofRequested && failure == null && !closing && !closed) {
      return;
    }
    checkWritable("writeEof");
    eofRequested = true;
    if (pending.isEmpty() && !sink.hasBuffered()) {
      try {
        sink.shutdownOutput();
      } catch (IOException e) {
        fail(e);
        throw e;
      }
    }
  }

  /**
   * Starts closing: the buffered data is still sent by the loop, then the socket is closed. Does
   * not suspend; {@link #waitClosed()} waits for the end. Idempotent.
   */
  public void close() {
    if (closing || closed) {
      return;
    }
    LoopImpl.checkOn(loop, "StreamWriter", "close");
    closing = true;
    if (pending.isEmpty()) {
      finishClosing();
    }
    long limit = sink.closeTimeoutNanos();
    if (!closed && limit > 0) {
      // the whole close (what is buffered, then close_notify), as asyncio's ssl_shutdown_timeout
      closeTimer =
          loop.callLater(
              Duration.ofNanos(limit),
              () -> {
                if (!closed) {
                  fail(
                      new IOException(
                          "the close did not finish within "
                              + Duration.ofNanos(limit).toMillis()
                              + " ms (the peer does not read): aborted"));
                }
              });
    }
  }

  /**
   * Everything written has been handed to the sink: queue the session's graceful end (a TLS
   * close_notify) and close once the sink has sent it too, now or from the writable callback.
   */
  private void finishClosing() {
    if (!endQueued) {
      endQueued = true;
      try {
        sink.beginClose();
      } catch (IOException e) {
        fail(e);
        return;
      }
    }
    if (sink.hasBuffered()) {
      sink.onWritable(flusher);
    } else {
      sink.stopWritable();
      closeNow(true);
    }
  }

  /** Closes at once, dropping buffered data. Idempotent. */
  public void abort() {
    if (closed) {
      return;
    }
    LoopImpl.checkOn(loop, "StreamWriter", "abort");
    closing = true;
    dropped += pendingBytes;
    pending.clear();
    pendingBytes = 0;
    closeNow(false);
  }

  /** <b>Suspends</b> until the socket is closed (after {@link #close()}). */
  public void waitClosed() {
    own("waitClosed");
    while (!closed) {
      closeWaiters.await("wait");
    }
  }

  /** Whether {@link #writeEof()} was called. */
  boolean eofRequested() {
    return eofRequested;
  }

  /**
   * <b>Suspends</b> until every buffered byte has been sent (Connection.startTls: what was written
   * in plain text goes out before the handshake).
   */
  void awaitSent() throws IOException {
    while (failure == null && !closed && (pendingBytes > 0 || sink.hasBuffered())) {
      drainWaiters.await("wait");
    }
    if (failure != null) {
      throw lost();
    }
    if (closed) {
      throw new StreamClosedException("the connection was closed before the buffer was sent");
    }
  }

  /** The error that closed the connection, or null ({@link StreamReader} reports it too). */
  IOException failure() {
    return failure;
  }

  /**
   * A read failed (reset by the peer, a bad TLS record): the connection is lost, so it is closed at
   * once, as asyncio's transports do on a fatal error, and writes report the error from now on.
   */
  void readFailed(IOException e) {
    fail(e);
  }

  /** Writes to {@code next} from now on (Connection.startTls, after {@link #awaitSent()}). */
  void replaceSink(ByteSink next) {
    sink = next;
    next.onFailure(this::fail);
  }

  private void checkWritable(String what) throws IOException {
    own(what);
    if (failure != null) {
      throw lost();
    }
    if (closing || closed) {
      throw new StreamClosedException(what + " after the stream was closed");
    }
    if (eofRequested) {
      throw new StreamClosedException(what + " after writeEof()");
    }
  }

  /**
   * Checks that the caller is a task of the loop that owns this stream (its thread resumes waiting
   * writers); allocates nothing unless it fails.
   */
  private void own(String op) {
    LoopImpl.currentTaskOn(loop, "StreamWriter", op);
  }

  /** The exception a use of the connection after {@link #failure()} throws. */
  IOException lost() {
    return new IOException("connection lost: " + failure.getMessage(), failure);
  }

  /** The writable callback: runs on the loop when the socket can take more. */
  private void flushFromLoop() {
    boolean sinkEmpty;
    try {
      sinkEmpty = sink.flush();
      ByteBuffer b;
      while (sinkEmpty && (b = pending.peek()) != null) {
        int n = sink.write(b);
        pendingBytes -= n;
        sinkEmpty = !sink.hasBuffered();
        if (b.hasRemaining()) {
          break;
        }
        pending.poll();
      }
    } catch (IOException e) {
      fail(e);
      return;
    }
    if (pending.isEmpty() && sinkEmpty) {
      if (closing) {
        if (!endQueued) {
          finishClosing(); // queues close_notify; if it waits, this callback runs again
        } else {
          sink.stopWritable();
          closeNow(true);
        }
      } else {
        sink.stopWritable();
        if (eofRequested) {
          try {
            sink.shutdownOutput();
          } catch (IOException e) {
            fail(e);
            return;
          }
        }
      }
    }
    if (pendingBytes <= low) {
      drainWaiters.wakeAll(); // also while close_notify waits: the data is all handed over
    }
  }

  private void fail(IOException e) {
    if (failure == null) {
      // the original error, not a transport's "connection lost" report of it
      failure = e instanceof ConnectionLostException lost ? lost.original() : e;
    }
    pending.clear();
    pendingBytes = 0;
    closeNow(false);
  }

  /** Closes the sink: gracefully after a flush ({@code close}), abruptly after abort or failure. */
  private void closeNow(boolean graceful) {
    if (closed) {
      return;
    }
    closed = true;
    closing = true;
    if (closeTimer != null) {
      closeTimer.cancel();
      closeTimer = null;
    }
    if (graceful) {
      sink.close();
    } else {
      sink.abort();
    }
    drainWaiters.wakeAll();
    closeWaiters.wakeAll();
  }

  @Override
  public String toString() {
    return "StreamWriter[buffered="
        + pendingBytes
        + (closed ? ", closed" : closing ? ", closing" : "")
        + "]";
  }
}
