package io.jasyncio.internal.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.Async;
import io.jasyncio.internal.LoopImpl;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The short-read rule of {@link ChannelSource} (see its class comment), on a real pipe. */
@Timeout(30)
class ChannelSourceTest {
  /** Reads through to the pipe and counts the system calls. */
  static final class Counting implements ReadableByteChannel {
    final ReadableByteChannel in;
    int reads;

    Counting(ReadableByteChannel in) {
      this.in = in;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      reads++;
      return in.read(dst);
    }

    @Override
    public boolean isOpen() {
      return in.isOpen();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  static void send(Pipe pipe, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      pipe.sink().write(b);
    }
  }

  interface PipeScenario {
    void run(Pipe pipe, IoHandle handle, Counting channel, ChannelSource source) throws Exception;
  }

  /** Runs {@code scenario} in a loop, on a pipe whose reading end the loop's poller registered. */
  static void onPipe(PipeScenario scenario) {
    Async.run(
        () -> {
          Pipe pipe = Pipe.open();
          pipe.source().configureBlocking(false);
          IoHandle h = ((LoopImpl) Async.currentLoop()).poller().register(pipe.source());
          try {
            Counting ch = new Counting(pipe.source());
            scenario.run(pipe, h, ch, new ChannelSource(ch, h));
          } finally {
            h.closeChannel();
            pipe.sink().close();
          }
          return null;
        });
  }

  @Test
  void aShortReadSkipsTheNextTryOnlyWhileTheSelectorWatches() {
    onPipe(
        (pipe, h, ch, src) -> {
          ByteBuffer buf = ByteBuffer.allocate(1000);
          send(pipe, 100);
          src.awaitReadable(); // sets the read interest; the bytes are there
          assertThat(src.read(buf.clear())).isEqualTo(100); // short
          assertThat(src.read(buf.clear())).isZero(); // the selector watches: no system call
          assertThat(ch.reads).isEqualTo(1);

          send(pipe, 10); // what the reader now waits for
          src.awaitReadable();
          assertThat(src.read(buf.clear())).isEqualTo(10);
          assertThat(ch.reads).isEqualTo(2);

          // Bytes that arrive while the reader is busy elsewhere: the loop polls, sees them with
          // nobody waiting and drops the interest, so the next read tries the channel at once.
          send(pipe, 20);
          Async.sleep(Duration.ofMillis(5));
          assertThat(h.isWatching(SelectionKey.OP_READ)).isFalse();
          assertThat(src.read(buf.clear())).isEqualTo(20);
          assertThat(ch.reads).isEqualTo(3);
        });
  }

  @Test
  void aReadThatFillsTheBufferKeepsReading() {
    onPipe(
        (pipe, h, ch, src) -> {
          send(pipe, 300);
          src.awaitReadable();
          ByteBuffer buf = ByteBuffer.allocate(100);
          for (int i = 1; i <= 3; i++) {
            assertThat(src.read(buf.clear())).isEqualTo(100); // full: no skip after it
            assertThat(ch.reads).isEqualTo(i);
          }
          assertThat(src.read(buf.clear())).isZero(); // the channel itself says empty
          assertThat(ch.reads).isEqualTo(4);
        });
  }
}
