import java.util.concurrent.ArrayBlockingQueue;

/** W2 switch on plain virtual threads: ping-pong N round trips through two 1-slot queues.
 *  Prints ns per one-way hop.  usage: W2 N WARMUP (rounds of a tenth of N, or "5s": such rounds for 5 seconds) */
public class W2 {
    static double round(int n) throws Exception {
        var there = new ArrayBlockingQueue<Integer>(1);
        var back = new ArrayBlockingQueue<Integer>(1);
        long t0 = System.nanoTime();
        Thread ping = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    there.put(i);
                    if (back.take() != i) throw new AssertionError("out of order");
                }
            } catch (InterruptedException e) { throw new RuntimeException(e); }
        });
        Thread pong = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < n; i++) back.put(there.take());
            } catch (InterruptedException e) { throw new RuntimeException(e); }
        });
        ping.join();
        pong.join();
        return (System.nanoTime() - t0) / (2.0 * n);
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Warmup.run(args[1], () -> round(Math.max(1, n / 10)));
        System.out.println("RESULT " + round(n));
    }
}
