package io.jasyncio.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.Task;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class DatagramEndpointTest {
  static final InetSocketAddress ANY_LOCAL = new InetSocketAddress("127.0.0.1", 0);

  @Test
  void sendToReceiveWithSenderAndConnectedMode() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  try (DatagramEndpoint server = DatagramEndpoint.open(ANY_LOCAL, null);
                      DatagramEndpoint client =
                          DatagramEndpoint.open(ANY_LOCAL, server.localAddress())) {
                    Task<DatagramEndpoint.Datagram> rx = Async.spawn(() -> server.receive());
                    Async.yieldNow(); // the server is now waiting
                    client.send("ping".getBytes(US_ASCII));
                    DatagramEndpoint.Datagram d = rx.await();
                    assertThat(new String(d.data(), US_ASCII)).isEqualTo("ping");
                    assertThat(d.sender()).isEqualTo(client.localAddress());
                    server.sendTo("pong".getBytes(US_ASCII), d.sender());
                    assertThat(new String(client.receive().data(), US_ASCII)).isEqualTo("pong");
                  }
                }));
  }

  @Test
  void closingWakesTheReceiverWithAClearError() {
    Async.run(
        () -> {
          DatagramEndpoint e = DatagramEndpoint.open(ANY_LOCAL, null);
          Task<DatagramEndpoint.Datagram> rx = Async.spawn(() -> e.receive());
          Async.yieldNow();
          e.close();
          assertThatThrownBy(rx::await) // a checked failure of a task comes back wrapped
              .isInstanceOf(io.jasyncio.AsyncException.class)
              .hasCauseInstanceOf(StreamClosedException.class);
          assertThatThrownBy(() -> e.sendTo(new byte[1], ANY_LOCAL))
              .isInstanceOf(StreamClosedException.class);
          assertThatThrownBy(() -> DatagramEndpoint.open(ANY_LOCAL, null).send(new byte[1]))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("connected");
        });
  }
}
