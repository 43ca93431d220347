package io.jasyncio.net;

import io.jasyncio.CancelledError;
import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.io.ByteSink;
import io.jasyncio.internal.io.ByteSource;
import io.jasyncio.internal.io.StreamAccess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The reading half of a stream (asyncio's {@code StreamReader}): bytes with an internal buffer that
 * never grows past its limit (64 KiB by default) while looking for a separator. As in asyncio, the
 * limit counts the data before the separator: with the default, a line of 65,536 bytes and its
 * {@code '\n'} is read, one byte more is a {@link LimitOverrunException}.
 *
 * <p>Every read method <b>suspends</b> only the calling task, and only when the buffer cannot
 * satisfy it: it first takes what is buffered, then tries the channel directly, and registers
 * interest and suspends only when the channel has nothing. One task reads at a time. End of stream
 * is clean: {@link #read(int)} returns an empty array, {@link #readLine()} the last partial line
 * and then an empty array; {@link #readExactly} and {@link #readUntil} throw {@link
 * IncompleteReadException}.
 *
 * <p>Cancellation: a cancelled read throws {@link io.jasyncio.CancelledError}; bytes already
 * buffered stay buffered, so a later read sees them. Reads are not thread-safe: call them from
 * tasks of the loop that owns the stream (the one that opened or accepted it): from another loop's
 * task they throw {@link IllegalStateException} naming both loops.
 */
public final class StreamReader {
  private static final byte[] NEWLINE = {'\n'};
  private static final int READ_EXACTLY_CHUNK = 16 * 1024;

  static {
    StreamAccess.install(
        new StreamAccess.Factory() {
          @Override
          public StreamReader reader(ByteSource source, int limit) {
            return new StreamReader(source, limit, creatingLoop("StreamReader"));
          }

          @Override
          public StreamWriter writer(ByteSink sink, int high, int low) {
            ConnectOptions.checkSizes(1, high, low);
            return new StreamWriter(sink, high, low, creatingLoop("StreamWriter"));
          }
        });
  }

  /** The loop of the calling task or callback, which a stream made now belongs to. */
  static LoopImpl creatingLoop(String kind) {
    LoopImpl loop = LoopImpl.currentOrNull();
    if (loop == null) {
      throw new IllegalStateException(
          "a " + kind + " must be created on an event loop's thread: it belongs to that loop");
    }
    return loop;
  }

  private ByteSource source; // replaced once by Connection.startTls, when nothing is buffered
  private final LoopImpl loop; // the only loop whose tasks may read
  private final int limit;
  private byte[] buf;
  private int start;
  private int end;
  private boolean eof;

  /**
   * The writing half of the same connection, or null (a pipe's reader): a failure either half meets
   * closes the connection, and the reader then reports that failure, not a local close.
   */
  private StreamWriter partner;

  StreamReader(ByteSource source, int limit, LoopImpl loop) {
    this.source = source;
    this.loop = loop;
    this.limit = limit;
    this.buf = new byte[Math.min(limit, 16 * 1024) + 1];
  }

  /** The buffer limit in bytes. */
  public int limit() {
    return limit;
  }

  /** Whether the end of the stream was reached and the buffer is empty. */
  public boolean atEof() {
    return eof && start == end;
  }

  /** How many bytes are buffered (readable without suspending). */
  public int buffered() {
    return end - start;
  }

  /**
   * Reads up to {@code max} bytes: what is buffered, or else waits for at least one byte.
   * <b>Suspends</b> while nothing is available.
   *
   * @param max the most bytes to return; must be positive
   * @return one to {@code max} bytes, or an empty array at end of stream
   * @throws StreamClosedException if this side closed the stream and nothing is buffered
   * @throws IOException if the connection failed (for example reset by the peer)
   */
  public byte[] read(int max) throws IOException {
    if (max <= 0) {
      throw new IllegalArgumentException("max must be positive: " + max);
    }
    own("read");
    if (start == end && !eof) {
      fill();
    }
    int n = Math.min(max, end - start);
    byte[] out = Arrays.copyOfRange(buf, start, start + n);
    consume(n);
    return out;
  }

  /**
   * Reads exactly {@code n} bytes. <b>Suspends</b> until they have arrived. The result grows as
   * bytes arrive, so a huge {@code n} (a hostile length prefix) costs memory only for what the peer
   * actually sends. If the caller is cancelled, the bytes gathered so far go back to the buffer, so
   * the next read starts with them.
   *
   * @param n how many; zero returns an empty array
   * @return {@code n} bytes
   * @throws IllegalArgumentException if {@code n} is negative
   * @throws IncompleteReadException if the stream ends first (holding the bytes that came)
   * @throws IOException if the connection failed
   */
  public byte[] readExactly(int n) throws IOException {
    if (n < 0) {
      throw new IllegalArgumentException("readExactly: n must not be negative: " + n);
    }
    own("readExactly");
    int buffered = end - start;
    if (buffered >= n) {
      byte[] out = Arrays.copyOfRange(buf, start, start + n);
      consume(n);
      return out;
    }
    // Never allocate ahead of the data: start with what is buffered (at least a chunk), and
    // double, capped at n, as more comes.
    byte[] out = new byte[Math.min(n, Math.max(buffered, READ_EXACTLY_CHUNK))];
    int got = 0;
    while (got < n) {
      if (start == end) {
        if (eof) {
          throw new IncompleteReadException(Arrays.copyOf(out, got), n);
        }
        try {
          fill();
        } catch (CancelledError c) {
          unread(out, got); // a cancelled read loses nothing: the next read starts with these
          throw c;
        }
        continue;
      }
      int k = Math.min(n - got, end - start);
      if (got + k > out.length) {
        long grown = Math.max((long) out.length * 2, (long) got + k);
        out = Arrays.copyOf(out, (int) Math.min(n, grown));
      }
      System.arraycopy(buf, start, out, got, k);
      consume(k);
      got += k;
    }
    return out;
  }

  /**
   * Reads one line, up to and including {@code '\n'}. <b>Suspends</b> until a whole line has
   * arrived. At end of stream returns the last partial line, then empty arrays.
   *
   * @return the line with its terminator, a final partial line, or an empty array at end of stream
   * @throws LimitOverrunException if no {@code '\n'} comes within the limit; the buffered bytes (up
   *     to and including a separator that came after the limit, if any) are dropped
   * @throws IOException if the connection failed
   */
  public byte[] readLine() throws IOException {
    own("readLine");
    try {
      return scanUntil(NEWLINE);
    } catch (IncompleteReadException e) {
      return e.partial();
    } catch (LimitOverrunException e) {
      int i = indexOf(NEWLINE, start);
      consume(i >= 0 ? i - start + 1 : end - start);
      throw e;
    }
  }

  /**
   * Reads up to and including {@code separator}. <b>Suspends</b> until it has arrived.
   *
   * @param separator one or more bytes
   * @return the data with the separator at its end
   * @throws IncompleteReadException if the stream ends first (the partial data is consumed)
   * @throws LimitOverrunException if the separator is not found within the limit (data stays)
   * @throws IOException if the connection failed
   */
  public byte[] readUntil(byte[] separator) throws IOException {
    Objects.requireNonNull(separator, "separator");
    if (separator.length == 0) {
      throw new IllegalArgumentException("readUntil: separator must not be empty");
    }
    own("readUntil");
    return scanUntil(separator);
  }

  /** {@link #readUntil} after the checks. */
  private byte[] scanUntil(byte[] separator) throws IOException {
    int scanned = 0; // relative to start: fill() may move the buffer
    for (; ; ) {
      int i = indexOf(separator, start + scanned);
      if (i >= 0) {
        if (i - start > limit) {
          throw new LimitOverrunException(
              "separator found, but the data before it exceeds the limit of " + limit + " bytes",
              i - start);
        }
        int len = i + separator.length - start;
        byte[] out = Arrays.copyOfRange(buf, start, start + len);
        consume(len);
        return out;
      }
      int buffered = end - start;
      if (buffered - separator.length + 1 > limit) {
        throw new LimitOverrunException(
            "separator not found within the buffer limit of " + limit + " bytes", buffered);
      }
      if (eof) {
        byte[] partial = Arrays.copyOfRange(buf, start, end);
        consume(buffered);
        throw new IncompleteReadException(partial, -1);
      }
      scanned = Math.max(0, buffered - separator.length + 1);
      fill();
    }
  }

  /**
   * Reads until end of stream. <b>Suspends</b> until it comes.
   *
   * @throws LimitOverrunException if more than the limit arrives (use {@link #read} in a loop for
   *     large bodies)
   */
  public byte[] readAll() throws IOException {
    own("readAll");
    while (!eof) {
      if (end - start > limit) {
        throw new LimitOverrunException(
            "more than the buffer limit before end of stream", end - start);
      }
      fill();
    }
    byte[] out = Arrays.copyOfRange(buf, start, end);
    consume(end - start);
    return out;
  }

  private int indexOf(byte[] sep, int from) {
    int last = end - sep.length;
    outer:
    for (int i = Math.max(from, start); i <= last; i++) {
      for (int j = 0; j < sep.length; j++) {
        if (buf[i + j] != sep[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private void consume(int n) {
    start += n;
    if (start == end) {
      start = 0;
      end = 0;
    }
  }

  /**
   * Checks that the caller is a task of the loop that owns this stream (its thread resumes the
   * reader); allocates nothing unless it fails.
   */
  private void own(String op) {
    LoopImpl.currentTaskOn(loop, "StreamReader", op);
  }

  /** The loop that owns this stream. */
  LoopImpl loop() {
    return loop;
  }

  /** Reads from {@code next} from now on (Connection.startTls, with nothing buffered). */
  void replaceSource(ByteSource next) {
    source = next;
  }

  /** Puts {@code len} bytes back in front of an empty buffer (a cancelled {@link #readExactly}). */
  private void unread(byte[] data, int len) {
    if (len == 0) {
      return;
    }
    int keep = end - start; // zero: readExactly only waits with an empty buffer
    byte[] target = len + keep <= buf.length ? buf : new byte[len + keep];
    System.arraycopy(buf, start, target, len, keep);
    System.arraycopy(data, 0, target, 0, len);
    buf = target;
    start = 0;
    end = len + keep;
  }

  /** Links the writer of the same connection (see {@link #partner}). */
  void partner(StreamWriter writer) {
    partner = writer;
  }

  /** Why a read found the source closed: the connection's failure, or a close on this side. */
  private IOException closedError(String what) {
    StreamWriter w = partner;
    return w != null && w.failure() != null ? w.lost() : new StreamClosedException(what);
  }

  /** Reads at least one byte into the buffer, or sets eof. Suspends while the source is empty. */
  private void fill() throws IOException {
    if (source.isClosed()) {
      throw closedError("read from a stream that was closed on this side");
    }
    if (end == buf.length) {
      if (start > 0) {
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        start = 0;
      } else {
        // Grow, but never far past the limit: one extra read beyond it reveals the overrun (the
        // limit counts the data before a separator, as asyncio's does, not the separator).
        int cap = (int) Math.min((long) limit + 16 * 1024 + 1, (long) buf.length * 2);
        if (cap <= buf.length) {
          throw new LimitOverrunException("buffer limit of " + limit + " bytes exceeded", end);
        }
        buf = Arrays.copyOf(buf, cap);
      }
    }
    ByteBuffer dst = ByteBuffer.wrap(buf, end, buf.length - end);
    for (; ; ) {
      int n;
      try {
        n = source.read(dst);
      } catch (ClosedChannelException e) {
        // closed between this task's wake-up and its read: by this side, or by a failure the
        // writer met in the same poll
        throw closedError("the stream was closed on this side while reading");
      } catch (IOException e) {
        if (partner != null) {
          partner.readFailed(e);
        }
        throw e;
      }
      if (n > 0) {
        end += n;
        return;
      }
      if (n < 0) {
        eof = true;
        return;
      }
      try {
        source.awaitReadable();
      } catch (ClosedChannelException e) {
        throw closedError("the stream was closed on this side while reading");
      }
    }
  }

  @Override
  public String toString() {
    return "StreamReader[buffered=" + (end - start) + (eof ? ", eof" : "") + "]";
  }
}
