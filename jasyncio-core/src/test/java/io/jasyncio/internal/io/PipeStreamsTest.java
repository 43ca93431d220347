package io.jasyncio.internal.io;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.CancelledError;
import io.jasyncio.Task;
import io.jasyncio.internal.LoopImpl;
import io.jasyncio.net.LimitOverrunException;
import io.jasyncio.net.StreamClosedException;
import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** PipeSource and PipeSink over in-memory blocking streams: the bounds and the hand-offs. */
@Timeout(
    value = 30,
    threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung loop cannot block the suite
class PipeStreamsTest {
  /** An endless stream that counts what it hands out. */
  static final class Endless extends InputStream {
    final AtomicLong served = new AtomicLong();
    final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public int read() {
      served.incrementAndGet();
      return 'z';
    }

    @Override
    public int read(byte[] b, int off, int len) {
      java.util.Arrays.fill(b, off, off + len, (byte) 'z');
      served.addAndGet(len);
      return len;
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  /** A stream whose writes block until released, like a pipe nobody reads. */
  static final class Stuck extends OutputStream {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicLong written = new AtomicLong();
    final AtomicBoolean closed = new AtomicBoolean();
    volatile boolean fail;
    volatile boolean entered; // a write has begun (the pump is inside it)

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      entered = true;
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      if (fail) {
        throw new IOException("Broken pipe");
      }
      written.addAndGet(len);
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  static LoopImpl loop() {
    return LoopImpl.currentOrNull();
  }

  @Test
  void theReadAheadIsBoundedByTheLimit() {
    Endless in = new Endless();
    Async.run(
        () -> {
          PipeSource src = new PipeSource(loop(), in, 1000, "endless");
          StreamReader r = StreamAccess.get().reader(src, 1000);
          long taken = 0;
          for (int i = 0; i < 200; i++) {
            taken += r.read(300).length;
            Async.yieldNow(); // let the pump run ahead as far as it may
            assertThat(in.served.get()).isLessThanOrEqualTo(taken + r.buffered() + 1000);
          }
          assertThat(taken).isPositive();
          src.close();
          assertThat(in.closed.get()).isTrue();
          assertThatThrownBy(() -> r.read(1)).isInstanceOf(StreamClosedException.class);
        });
  }

  /** A source that serves {@code data} and then end of stream, as fast as it is read. */
  static ByteSource bytes(byte[] data) {
    ByteBuffer b = ByteBuffer.wrap(data);
    return new ByteSource() {
      @Override
      public int read(ByteBuffer dst) {
        if (!b.hasRemaining()) {
          return -1;
        }
        int n = Math.min(dst.remaining(), b.remaining());
        dst.put(dst.position(), b, b.position(), n).position(dst.position() + n);
        b.position(b.position() + n);
        return n;
      }

      @Override
      public void awaitReadable() {}

      @Override
      public boolean isClosed() {
        return false;
      }
    };
  }

  /** As in asyncio, the limit counts the data before the separator, not the separator. */
  @Test
  void theLimitCountsTheDataBeforeTheSeparator() {
    String fits = "x".repeat(100);
    String over = "y".repeat(101);
    byte[] data = (fits + "\n" + fits + "\r\n" + over + "\nok\n").getBytes(US_ASCII);
    Async.run(
        () -> {
          StreamReader r = StreamAccess.get().reader(bytes(data), 100);
          assertThat(new String(r.readLine(), US_ASCII)).isEqualTo(fits + "\n");
          assertThat(new String(r.readUntil("\r\n".getBytes(US_ASCII)), US_ASCII))
              .isEqualTo(fits + "\r\n");
          assertThatThrownBy(r::readLine)
              .isInstanceOf(LimitOverrunException.class)
              .hasMessageContaining("limit of 100 bytes");
          assertThat(new String(r.readLine(), US_ASCII)).isEqualTo("ok\n");
        });
  }

  @Test
  void readAllPastTheLimitReportsTheBytesStillBuffered() {
    ByteSource source = bytes(new byte[40_000]); // no newline anywhere
    Async.run(
        () -> {
          StreamReader r = StreamAccess.get().reader(source, 20_000);
          // The failed search leaves more than the limit buffered (the buffer grew while looking).
          assertThatThrownBy(() -> r.readUntil(new byte[] {'\n'}))
              .isInstanceOf(LimitOverrunException.class);
          r.readExactly(10); // the buffer now starts past what was taken
          LimitOverrunException e =
              org.junit.jupiter.api.Assertions.assertThrows(
                  LimitOverrunException.class, r::readAll);
          assertThat(e.consumed()).isEqualTo(r.buffered());
        });
  }

  @Test
  void aFailingStreamIsAClearReadError() {
    InputStream broken =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("Input/output error");
          }
        };
    Async.run(
        () -> {
          PipeSource src = new PipeSource(loop(), broken, 100, "stdout of test");
          StreamReader r = StreamAccess.get().reader(src, 100);
          assertThatThrownBy(() -> r.read(10))
              .isInstanceOf(IOException.class)
              .hasMessageContaining("stdout of test")
              .hasMessageContaining("Input/output error");
          src.close();
        });
  }

  @Test
  void writesSuspendAboveTheWindowAndCloseDoesNotWaitForAStuckWrite() {
    Stuck out = new Stuck();
    Async.run(
        () -> {
          PipeSink sink = new PipeSink(loop(), out, 4096, "stuck");
          StreamWriter w = StreamAccess.get().writer(sink, 8192, 2048);
          Task<Void> writer =
              Async.spawn(
                  () -> {
                    for (; ; ) {
                      w.write(new byte[1000]);
                    }
                  });
          while (w.bufferedBytes() == 0 || !out.entered) {
            Async.sleep(Duration.ofMillis(1));
          }
          // the sink holds its window, the writer the rest: both bounded
          assertThat(sink.hasBuffered()).isTrue();
          assertThat(w.bufferedBytes()).isLessThanOrEqualTo(8192 + 1000);
          writer.cancel();
          assertThatThrownBy(writer::await).isInstanceOf(CancelledError.class);
          w.abort(); // the pump is inside a write: the loop must not wait for it
          assertThat(out.closed.get()).isFalse();
          out.release.countDown();
          assertThat(sink.awaitPumpExit(Duration.ofSeconds(10))).isTrue();
          assertThat(out.closed.get()).isTrue();
        });
  }

  @Test
  void aWriteFailureReachesTheWriter() {
    Stuck out = new Stuck();
    out.fail = true;
    out.release.countDown();
    Async.run(
        () -> {
          PipeSink sink = new PipeSink(loop(), out, 4096, "stdin of test");
          StreamWriter w = StreamAccess.get().writer(sink, 8192, 2048);
          w.write(new byte[100]);
          assertThatThrownBy(
                  () -> {
                    for (; ; ) {
                      w.drain();
                      w.write(new byte[100]);
                      Async.sleep(Duration.ofMillis(1));
                    }
                  })
              .isInstanceOf(IOException.class)
              .hasMessageContaining("stdin of test")
              .hasMessageContaining("Broken pipe");
          assertThat(sink.awaitPumpExit(Duration.ofSeconds(10))).isTrue();
          assertThat(out.closed.get()).isTrue();
        });
  }

  @Test
  void whenTheChildExitsAnIdlePumpEndsAndTheWriterHearsOfIt() {
    Stuck out = new Stuck();
    out.release.countDown();
    Async.run(
        () -> {
          PipeSink sink = new PipeSink(loop(), out, 4096, "stdin of test");
          StreamWriter w = StreamAccess.get().writer(sink, 8192, 2048);
          w.write(new byte[100]);
          w.drain();
          sink.childExited(); // as Subprocess does from Process.onExit()
          assertThat(sink.awaitPumpExit(Duration.ofSeconds(10))).isTrue();
          assertThat(out.closed.get()).isTrue();
          assertThatThrownBy(
                  () -> {
                    for (; ; ) {
                      w.write(new byte[100]);
                      Async.sleep(Duration.ofMillis(1));
                    }
                  })
              .isInstanceOf(IOException.class)
              .hasMessageContaining("stdin of test")
              .hasMessageContaining("the child exited");
        });
  }

  @Test
  void aPumpNobodyReleasedEndsWhenItsLoopCloses() {
    Stuck out = new Stuck();
    out.release.countDown();
    PipeSink[] sink = new PipeSink[1];
    Async.run(
        () -> {
          sink[0] = new PipeSink(loop(), out, 4096, "stdin of test");
          StreamAccess.get().writer(sink[0], 8192, 2048).write(new byte[10]);
        }); // the writer is never closed
    assertThat(sink[0].awaitPumpExit(Duration.ofSeconds(10))).isTrue();
    assertThat(out.closed.get()).isTrue();
  }

  @Test
  void aGracefulCloseWritesEverythingThenClosesTheStream() {
    Stuck out = new Stuck();
    out.release.countDown();
    Async.run(
        () -> {
          PipeSink sink = new PipeSink(loop(), out, 1000, "sink");
          StreamWriter w = StreamAccess.get().writer(sink, 2000, 500);
          for (int i = 0; i < 100; i++) {
            w.write(new byte[777]);
          }
          w.close();
          w.waitClosed();
          assertThat(sink.awaitPumpExit(Duration.ofSeconds(10))).isTrue();
          assertThat(out.written.get()).isEqualTo(77_700);
          assertThat(out.closed.get()).isTrue();
        });
  }
}
