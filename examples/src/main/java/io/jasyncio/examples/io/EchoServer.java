package io.jasyncio.examples.io;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.jasyncio.Async;
import io.jasyncio.net.Connection;
import io.jasyncio.net.Server;
import io.jasyncio.net.Streams;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A TCP echo server and its clients on one event loop (asyncio's streams example).
 *
 * <pre>
 *   EchoServer              # server on 127.0.0.1, 10 clients, then a graceful shutdown
 *   EchoServer serve 8888   # serve until killed
 * </pre>
 */
public final class EchoServer {
  private EchoServer() {}

  /** Serves one connection: echoes every line until the client closes. */
  static void echo(Connection c) throws IOException {
    for (; ; ) {
      byte[] line = c.reader().readLine(); // suspends this handler only
      if (line.length == 0) {
        return; // clean end of stream; the server closes the connection
      }
      c.writer().write(line);
      c.writer().drain();
    }
  }

  static String client(int port, int id) throws IOException {
    try (Connection c = Streams.openConnection("127.0.0.1", port)) {
      c.writer().write(("hello from client " + id + "\n").getBytes(UTF_8));
      return new String(c.reader().readLine(), UTF_8).strip();
    }
  }

  /**
   * Runs the demo, or a server with {@code serve PORT}.
   *
   * @param args nothing, or {@code serve PORT}
   */
  public static void main(String[] args) {
    if (args.length == 2 && args[0].equals("serve")) {
      int port = Integer.parseInt(args[1]);
      Async.run(
          () -> {
            Server server = Streams.startServer("127.0.0.1", port, EchoServer::echo);
            System.out.println("serving on " + server.address());
            server.serveForever();
          });
      return;
    }
    Async.run(
        () -> {
          Server server = Streams.startServer("127.0.0.1", 0, EchoServer::echo);
          List<Callable<String>> clients = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            int id = i;
            clients.add(() -> client(server.port(), id));
          }
          for (String reply : Async.gather(clients)) {
            System.out.println(reply);
          }
          int cancelled = server.shutdown(Duration.ofSeconds(1));
          System.out.println("server closed, " + cancelled + " handlers cancelled");
        });
  }
}
