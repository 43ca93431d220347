import io.jasyncio.Async;
import io.jasyncio.LoopGroup;
import io.jasyncio.net.Connection;
import io.jasyncio.net.Server;
import io.jasyncio.net.ServerOptions;
import io.jasyncio.net.Streams;

/** W4 TCP echo server on jasyncio (the loop's own selector, a task per connection).
 *  Binds 127.0.0.1 only.  usage: W4Server PORT [group] ; prints LISTENING once bound.
 *  With "group": a LoopGroup of one loop per core, each running a server on PORT with
 *  SO_REUSEPORT, so the kernel spreads the connections over the loops. */
public class W4Server {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        if (args.length > 1 && args[1].equals("group")) {
            LoopGroup group = LoopGroup.create();
            ServerOptions shared = ServerOptions.defaults().reusePort(true);
            for (int i = 0; i < group.size(); i++) {
                group.submit(i, () -> Streams.startServer("127.0.0.1", port, W4Server::echo, shared)).join();
            }
            System.out.println("LISTENING");
            System.out.flush();
            Thread.currentThread().join(); // until the harness kills the process
            return;
        }
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
