package io.jasyncio.internal.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.Async;
import io.jasyncio.internal.LoopImpl;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ReadableByteChannel;
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

  @Test
  void aShortReadSkipsTheNextTryOnlyWhileTheSelectorWatches() throws Exception {
    Async.run(
        () -> {
          Pipe pipe = Pipe.open();
          pipe.source().configureBlocking(false);
          IoHandle h = ((LoopImpl) Async.currentLoop()).poller().register(pipe.source());
          try {
            Counting ch = new Counting(pipe.source());
            ChannelSource src = new ChannelSource(ch, h);
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
            assertThat(h.isWatching(java.nio.channels.SelectionKey.OP_READ)).isFalse();
            assertThat(src.read(buf.clear())).isEqualTo(20);
            assertThat(ch.reads).isEqualTo(3);
          } finally {
            h.closeChannel();
            pipe.sink().close();
          }
          return null;
        });
  }

  @Test
  void aReadThatFillsTheBufferKeepsReading() throws Exception {
    Async.run(
        () -> {
          Pipe pipe = Pipe.open();
          pipe.source().configureBlocking(false);
          IoHandle h = ((LoopImpl) Async.currentLoop()).poller().register(pipe.source());
          try {
            Counting ch = new Counting(pipe.source());
            ChannelSource src = new ChannelSource(ch, h);
            send(pipe, 300);
            src.awaitReadable();
            ByteBuffer buf = ByteBuffer.allocate(100);
            for (int i = 1; i <= 3; i++) {
              assertThat(src.read(buf.clear())).isEqualTo(100); // full: no skip after it
              assertThat(ch.reads).isEqualTo(i);
            }
            assertThat(src.read(buf.clear())).isZero(); // the channel itself says empty
            assertThat(ch.reads).isEqualTo(4);
          } finally {
            h.closeChannel();
            pipe.sink().close();
          }
          return null;
        });
  }
}
