package io.jasyncio.internal.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import org.junit.jupiter.api.Test;

/** The short-read heuristic of {@link ChannelSource} (see its class comment). */
class ChannelSourceTest {
  /** A channel that hands out {@code chunk} bytes per read and counts the reads. */
  static final class CountingChannel implements ReadableByteChannel {
    int chunk;
    int reads;

    @Override
    public int read(ByteBuffer dst) {
      reads++;
      int n = Math.min(chunk, dst.remaining());
      dst.position(dst.position() + n);
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  @Test
  void aShortReadSkipsTheNextSystemCallOnce() throws Exception {
    CountingChannel ch = new CountingChannel();
    ChannelSource src = new ChannelSource(ch, null);
    ch.chunk = 100;
    assertThat(src.read(ByteBuffer.allocate(1000))).isEqualTo(100);
    assertThat(src.read(ByteBuffer.allocate(1000))).isZero(); // the caller then awaits readiness
    assertThat(ch.reads).isEqualTo(1);
    assertThat(src.read(ByteBuffer.allocate(1000))).isEqualTo(100); // skipped once only
    assertThat(ch.reads).isEqualTo(2);
  }

  @Test
  void aReadThatFillsTheBufferKeepsReading() throws Exception {
    CountingChannel ch = new CountingChannel();
    ChannelSource src = new ChannelSource(ch, null);
    ch.chunk = 1000;
    for (int i = 1; i <= 3; i++) {
      assertThat(src.read(ByteBuffer.allocate(1000))).isEqualTo(1000);
      assertThat(ch.reads).isEqualTo(i);
    }
    ch.chunk = 0; // nothing there: 0 from the channel itself, and no skip after it
    assertThat(src.read(ByteBuffer.allocate(1000))).isZero();
    assertThat(src.read(ByteBuffer.allocate(1000))).isZero();
    assertThat(ch.reads).isEqualTo(5);
  }
}
