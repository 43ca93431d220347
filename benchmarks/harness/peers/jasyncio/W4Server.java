import io.jasyncio.Async;
import io.jasyncio.net.Connection;
import io.jasyncio.net.Server;
import io.jasyncio.net.Streams;

/** W4 TCP echo server on one jasyncio loop (the loop's own selector, a task per connection).
 *  Binds 127.0.0.1 only.  usage: W4Server PORT ; prints LISTENING once bound. */
public class W4Server {
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Async.run(() -> {
            Server server = Streams.startServer("127.0.0.1", port, W4Server::echo);
            System.out.println("LISTENING");
            System.out.flush();
            server.serveForever();
        });
    }

    static void echo(Connection c) throws Exception {
        var in = c.reader();
        var out = c.writer();
        for (;;) {
            byte[] b = in.read(65536);
            if (b.length == 0) return;
            out.write(b);
        }
    }
}
