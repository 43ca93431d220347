package io.jasyncio.files;

import io.jasyncio.CancelledError;
import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.io.Blocking;
import io.jasyncio.internal.io.Closeables;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * An open file (aiofiles' file object). Reads and writes <b>suspend</b> the calling task while a
 * virtual thread does the blocking call. Writes are buffered (64 KiB) on the loop side and go out
 * in one call on {@link #flush()}, when the buffer fills, and on {@link #close()}; reads are
 * buffered the same way for {@link #readLine()} and {@link #lines()}.
 *
 * <p>Use from one task at a time. {@link #close()} flushes and closes; if the flush fails or is
 * cancelled the file is closed anyway.
 *
 * <p>Cancellation never leaves the file in an unknown state. On a regular file a blocking call that
 * has started is waited for (uncancellably, an instant) before {@link io.jasyncio.CancelledError}
 * is thrown. A cancelled {@link #read}, {@link #readLine} or {@link #readAll} loses no bytes: what
 * it had read is kept in the read buffer, so the next read returns it (a partial line included). A
 * cancelled {@link #write}, {@link #flush} or {@link #seek} has completed: the bytes are written
 * (or, for a write that did not need to flush, buffered) and the position moved. On a pipe, FIFO or
 * device ({@code mayBlock}) a read may wait forever, so a cancelled read gives up at once and
 * leaves its read running ({@code pipeRead}); the next read takes that read's bytes first. A close
 * while a read runs closes off the loop ({@code FileChannel.close} waits for the read).
 */
public final class AsyncFile implements AutoCloseable {
  private static final int CHUNK = 64 * 1024;

  private final Path path;
  private final FileChannel channel;
  private final boolean append;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private byte[] in = new byte[0];
  private int inPos;
  private boolean eof;

  /** {@link #eof} came from a cancelled read: the next operation reports it (see below). */
  private boolean endKept;

  private boolean closed;
  private final boolean deleteOnClose;

  /** Reads still running on their threads (a pipe's read may wait long; see {@link #close}). */
  private int readsInFlight;

  /**
   * Not a regular file (a pipe, FIFO or device): its reads may wait indefinitely, so a cancelled
   * read gives up at once and leaves its read running in {@link #pipeRead}, whose bytes the next
   * read takes first.
   */
  private final boolean mayBlock;

  private CompletableFuture<byte[]> pipeRead;

  /** Opened with WRITE or APPEND: {@link #write} refuses at once otherwise. */
  private final boolean writable;

  AsyncFile(
      Path path,
      FileChannel channel,
      boolean append,
      boolean deleteOnClose,
      boolean mayBlock,
      boolean writable) {
    this.path = path;
    this.channel = channel;
    this.append = append;
    this.deleteOnClose = deleteOnClose;
    this.mayBlock = mayBlock;
    this.writable = writable;
  }

  /**
   * A regular file's end is where it ends now: a read operation after the end was reached reads
   * again (on its thread, as every read), so data appended since is read. Two exceptions: a pipe's
   * end of stream is final, and an end that a cancelled read found ({@link #endKept}) is the next
   * operation's answer, as the bytes a cancelled read got are. (Asking the channel's size on the
   * loop thread instead would close the channel if the task had left its interrupt flag set.)
   */
  private void lookAgainForEnd() {
    if (mayBlock) {
      return;
    }
    if (endKept) {
      endKept = false; // deliver it once
    } else {
      eof = false;
    }
  }

  /** What a read cancelled while its thread still read got: kept for the next operation. */
  private void keepCancelledChunk(byte[] chunk) {
    keepChunk(chunk);
    endKept = chunk.length == 0;
  }

  /** Whether {@link #close()} deletes the file (a file from {@link AsyncFiles#tempFile}). */
  public boolean deletesOnClose() {
    return deleteOnClose;
  }

  /** The path it was opened with. */
  public Path path() {
    return path;
  }

  /**
   * Reads up to {@code max} bytes. <b>Suspends.</b>
   *
   * @return the bytes, empty at end of file
   */
  public byte[] read(int max) throws IOException {
    if (max <= 0) {
      throw new IllegalArgumentException("max must be positive: " + max);
    }
    checkOpen("read");
    lookAgainForEnd();
    if (inPos < in.length) {
      int n = Math.min(max, in.length - inPos);
      byte[] r = Arrays.copyOfRange(in, inPos, inPos + n);
      inPos += n;
      return r;
    }
    if (eof) {
      return new byte[0];
    }
    flush();
    byte[] r =
        mayBlock ? pipeChunk(max) : blockingRead(() -> readChunk(max), this::keepCancelledChunk);
    if (r.length > max) { // a chunk an earlier, cancelled read had asked for more of
      keepChunk(Arrays.copyOfRange(r, max, r.length));
      r = Arrays.copyOf(r, max);
    }
    if (r.length == 0) {
      eof = true;
    }
    return r;
  }

  /**
   * One chunk of a file that {@link #mayBlock}: the read left running by a cancelled caller, if
   * any, else a new one. A cancelled caller stops waiting at once; the read goes on and its bytes
   * go to the next caller.
   */
  private byte[] pipeChunk(int max) throws IOException {
    CompletableFuture<byte[]> f = pipeRead;
    if (f == null) {
      f = Blocking.startOnVirtualThread("read", () -> readChunk(max));
      pipeRead = f;
    }
    byte[] r = Blocking.awaitGivingUp("read", f);
    pipeRead = null;
    return r;
  }

  /** A read on a virtual thread, waited for even if cancelled (its bytes are kept). */
  private <T> T blockingRead(Callable<T> call, Consumer<? super T> keep) throws IOException {
    readsInFlight++;
    try {
      return Blocking.callToEnd("read", call, keep);
    } finally {
      readsInFlight--;
    }
  }

  /** Keeps the chunk a cancelled read got (the buffer was empty) for the next read. */
  private void keepChunk(byte[] chunk) {
    in = chunk;
    inPos = 0;
    if (chunk.length == 0) {
      eof = true;
    }
  }

  /** Adds {@code tail} after the unread buffer. */
  private void append(byte[] tail) {
    byte[] head = Arrays.copyOfRange(in, inPos, in.length);
    keepChunk(tail);
    unread(head);
  }

  /** Puts {@code head} back in front of the unread buffer. */
  private void unread(byte[] head) {
    if (head.length == 0) {
      return;
    }
    byte[] rest = Arrays.copyOfRange(in, inPos, in.length);
    byte[] all = Arrays.copyOf(head, head.length + rest.length);
    System.arraycopy(rest, 0, all, head.length, rest.length);
    in = all;
    inPos = 0;
  }

  private byte[] readChunk(int max) throws IOException {
    if (max > CHUNK) {
      // Never allocate far more than can come: read(Integer.MAX_VALUE) must not need 2 GiB
      long left = mayBlock ? CHUNK : Math.max(CHUNK, channel.size() - channel.position());
      max = (int) Math.min(max, left);
    }
    ByteBuffer bb = ByteBuffer.allocate(max);
    int n = channel.read(bb);
    return n <= 0 ? new byte[0] : n == max ? bb.array() : Arrays.copyOf(bb.array(), n);
  }

  /** Reads from the position to the end. <b>Suspends.</b> */
  public byte[] readAll() throws IOException {
    checkOpen("readAll");
    lookAgainForEnd();
    flush();
    if (mayBlock) {
      // Chunk by chunk into the buffer, so that a cancelled call leaves what came buffered.
      while (!eof) {
        byte[] c = pipeChunk(CHUNK);
        if (c.length == 0) {
          eof = true;
        } else {
          append(c);
        }
      }
      byte[] all = Arrays.copyOfRange(in, inPos, in.length);
      inPos = in.length;
      return all;
    }
    byte[] rest =
        blockingRead(
            () -> {
              var acc = new ByteArrayOutputStream();
              byte[] c;
              while ((c = readChunk(CHUNK)).length > 0) {
                acc.write(c);
              }
              return acc.toByteArray();
            },
            r -> {
              // Cancelled: keep the rest after what was buffered, for the next read.
              append(r);
              eof = true;
              endKept = true;
            });
    eof = true;
    byte[] head = Arrays.copyOfRange(in, inPos, in.length);
    inPos = in.length;
    if (head.length == 0) {
      return rest;
    }
    byte[] all = Arrays.copyOf(head, head.length + rest.length);
    System.arraycopy(rest, 0, all, head.length, rest.length);
    return all;
  }

  /**
   * Reads one UTF-8 line without its terminator ({@code \n} or {@code \r\n}). <b>Suspends</b> when
   * the read buffer is empty.
   *
   * @return the line, or null at end of file
   */
  public String readLine() throws IOException {
    checkOpen("readLine");
    lookAgainForEnd();
    var line = new ByteArrayOutputStream();
    try {
      for (; ; ) {
        if (inPos == in.length) {
          if (eof) {
            return line.size() == 0 ? null : decode(line.toByteArray(), false);
          }
          flush();
          keepChunk(
              mayBlock
                  ? pipeChunk(CHUNK)
                  : blockingRead(() -> readChunk(CHUNK), this::keepCancelledChunk));
          continue;
        }
        int i = inPos;
        while (i < in.length && in[i] != '\n') {
          i++;
        }
        line.write(in, inPos, i - inPos);
        if (i < in.length) {
          inPos = i + 1;
          return decode(line.toByteArray(), true);
        }
        inPos = i;
      }
    } catch (CancelledError c) {
      unread(line.toByteArray()); // the partial line is read again by the next call
      throw c;
    }
  }

  /** A line's text; {@code newline}: it ended with \n, so a \r before it is part of the end. */
  private static String decode(byte[] b, boolean newline) {
    int n = b.length;
    if (newline && n > 0 && b[n - 1] == '\r') {
      n--;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  /**
   * The remaining lines, read lazily: the iterator's {@code hasNext} <b>suspends</b> while it
   * reads. Failures surface as {@link UncheckedIOException}.
   */
  public Iterable<String> lines() {
    return () ->
        new Iterator<>() {
          private String next;
          private boolean done;

          @Override
          public boolean hasNext() {
            if (next == null && !done) {
              try {
                next = readLine();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              done = next == null;
            }
            return next != null;
          }

          @Override
          public String next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            String s = next;
            next = null;
            return s;
          }
        };
  }

  /** Buffers {@code data}; <b>suspends</b> to write out when the buffer is full. */
  public void write(byte[] data) throws IOException {
    Objects.requireNonNull(data, "data");
    checkOpen("write");
    if (!writable) {
      throw new IllegalStateException(
          "write: " + path + " was opened for reading only (open it with WRITE or APPEND)");
    }
    if (inPos < in.length && !append) {
      // Writing after a buffered read: put the channel position back where the caller is. The
      // seek always completes (callToEnd); a failed one leaves the read buffer and writes nothing.
      long back = in.length - inPos;
      try {
        Blocking.callToEnd("seek", () -> channel.position(channel.position() - back), null);
      } catch (CancelledError c) {
        if (c.getSuppressed().length == 0) { // the seek succeeded: a cancelled write completes
          in = new byte[0];
          inPos = 0;
          out.write(data, 0, data.length);
        }
        throw c;
      }
      in = new byte[0];
      inPos = 0;
    }
    out.write(data, 0, data.length);
    if (out.size() >= CHUNK) {
      flush();
    }
  }

  /** Buffers {@code text} as UTF-8. */
  public void write(String text) throws IOException {
    write(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes the buffered bytes to the file. <b>Suspends</b> if there are any. */
  public void flush() throws IOException {
    if (out.size() == 0) {
      return;
    }
    checkOpen("flush");
    byte[] data = out.toByteArray();
    out.reset();
    Blocking.callToEnd(
        "write",
        () -> {
          ByteBuffer bb = ByteBuffer.wrap(data);
          while (bb.hasRemaining()) {
            channel.write(bb);
          }
          return null;
        },
        null);
  }

  /** Flushes, then forces the file's content to the storage device. <b>Suspends.</b> */
  public void sync() throws IOException {
    checkOpen("sync");
    flush();
    Blocking.callToEnd(
        "sync",
        () -> {
          channel.force(false);
          return null;
        },
        null);
  }

  /** The current position (accounting for buffered data). <b>Suspends.</b> */
  public long position() throws IOException {
    checkOpen("position");
    long p = Blocking.callToEnd("position", channel::position, null);
    return p - (in.length - inPos) + out.size();
  }

  /** Moves to {@code pos} (flushing writes, dropping read-ahead). <b>Suspends.</b> */
  public void seek(long pos) throws IOException {
    if (pos < 0) {
      throw new IllegalArgumentException("pos must not be negative: " + pos);
    }
    checkOpen("seek");
    flush();
    in = new byte[0];
    inPos = 0;
    eof = false;
    Blocking.callToEnd("seek", () -> channel.position(pos), null);
  }

  /** The file's size. <b>Suspends.</b> */
  public long size() throws IOException {
    checkOpen("size");
    flush();
    return Blocking.callToEnd("size", channel::size, null);
  }

  /** Whether {@link #close()} ran. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Flushes and closes; <b>suspends</b> while flushing (and, for a {@linkplain AsyncFiles#tempFile
   * temporary file}, while deleting it). The file is closed, and a temporary file deleted, even if
   * the flush fails or the task is cancelled. Idempotent.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    LoopImpl.currentTask("AsyncFile.close");
    try {
      flush();
    } finally {
      closed = true;
      try {
        if (readsInFlight == 0 && (pipeRead == null || pipeRead.isDone())) {
          channel.close(); // does not block: no read is running on the channel
        } else {
          // Another task's read still runs (a pipe that has not delivered yet): FileChannel.close
          // waits for it to return, so close off the loop, suspending only this task.
          Blocking.callToEnd(
              "close",
              () -> {
                channel.close();
                return null;
              },
              null);
        }
      } finally {
        if (deleteOnClose) {
          // Waited for even if cancelled: when close returns or throws, the file is gone.
          Blocking.callToEnd("delete", () -> Files.deleteIfExists(path), null);
        }
      }
    }
  }

  /** Closes the channel of a file nobody saw (a cancelled open), on the calling thread. */
  void discardChannel() {
    Closeables.closeQuietly(channel);
  }

  /** Closes and deletes a temporary file on the calling (blocking) thread: a cancelled open. */
  void discard() {
    try {
      channel.close();
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // nothing more to do for a file nobody saw
    }
  }

  private void checkOpen(String what) throws IOException {
    LoopImpl.currentTask("AsyncFile", what);
    if (closed) {
      throw new IOException(what + " on a closed file: " + path);
    }
  }

  @Override
  public String toString() {
    return "AsyncFile[" + path + (closed ? ", closed" : "") + "]";
  }
}
