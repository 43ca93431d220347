import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** W4 TCP echo server on plain virtual threads, one per connection, blocking I/O.
 *  Binds 127.0.0.1 only.  usage: W4Server PORT */
public class W4Server {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        try (var server = new ServerSocket(port, 1024, InetAddress.getLoopbackAddress())) {
            System.out.println("LISTENING");
            while (true) {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> echo(s));
            }
        }
    }

    static void echo(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            var in = s.getInputStream();
            var out = s.getOutputStream();
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) out.write(buf, 0, n);
        } catch (IOException ignored) {
            // peer went away
        }
    }
}
