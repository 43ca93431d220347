import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.net.StandardSocketOptions;

/** The one W4 load generator used for every echo server: a single-threaded NIO client that keeps
 *  CONNS connections each doing request/response round trips of SIZE-byte messages against
 *  127.0.0.1:PORT, WARMUP seconds unmeasured and then SECONDS measured. Every loop is bounded in
 *  time: the program ends at WARMUP + SECONDS (+ 10 s connect allowance) whatever the server does.
 *  Prints "RESULT <round trips per second>".
 *  usage: EchoLoad PORT CONNS SIZE WARMUP SECONDS */
public class EchoLoad {
    static final class Conn {
        final SocketChannel ch;
        final ByteBuffer out, in;
        Conn(SocketChannel ch, int size, byte seed) {
            this.ch = ch;
            byte[] msg = new byte[size];
            for (int i = 0; i < size; i++) msg[i] = (byte) (seed + i);
            this.out = ByteBuffer.wrap(msg);
            this.in = ByteBuffer.allocate(size);
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]), conns = Integer.parseInt(args[1]), size = Integer.parseInt(args[2]);
        double warmup = Double.parseDouble(args[3]), seconds = Double.parseDouble(args[4]);
        var addr = new InetSocketAddress("127.0.0.1", port);   // loopback only, by construction
        long hardStop = System.nanoTime() + (long) ((warmup + seconds + 10) * 1e9);
        try (Selector sel = Selector.open()) {
            for (int i = 0; i < conns; i++) {
                SocketChannel ch = SocketChannel.open();
                ch.socket().connect(addr, 5000);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.configureBlocking(false);
                Conn c = new Conn(ch, size, (byte) i);
                ch.register(sel, SelectionKey.OP_READ, c);
                send(c);
            }
            long start = System.nanoTime();
            long measureFrom = start + (long) (warmup * 1e9);
            long measureTo = measureFrom + (long) (seconds * 1e9);
            long count = 0;
            boolean measuring = warmup <= 0;
            long now = start;
            while (now < measureTo && now < hardStop) {
                sel.select(100);
                now = System.nanoTime();
                if (!measuring && now >= measureFrom) { measuring = true; count = 0; }
                for (SelectionKey k : sel.selectedKeys()) {
                    Conn c = (Conn) k.attachment();
                    int n = c.ch.read(c.in);
                    if (n < 0) throw new IllegalStateException("server closed a connection");
                    if (!c.in.hasRemaining()) {
                        c.in.flip();
                        if (!c.in.equals(c.out.rewind())) throw new IllegalStateException("echo mismatch");
                        c.in.clear();
                        count++;
                        send(c);
                    }
                }
                sel.selectedKeys().clear();
            }
            double measured = (Math.min(now, measureTo) - Math.max(measureFrom, start)) / 1e9;
            if (measured <= 0) throw new IllegalStateException("nothing measured");
            System.out.println("RESULT " + (count / measured));
            for (SelectionKey k : sel.keys()) k.channel().close();
        }
    }

    static void send(Conn c) throws Exception {
        c.out.rewind();
        while (c.out.hasRemaining()) c.ch.write(c.out);   // 100 bytes fit an empty socket buffer
    }
}
