import io.jasyncio.*;
import io.jasyncio.sync.AsyncQueue;

/** W2 switch on jasyncio: two tasks ping-pong N round trips through two 1-slot queues.
 *  Prints ns per one-way hop.  usage: W2 N WARMUP (rounds of a tenth of N, or "5s": such rounds for 5 seconds) */
public class W2 {
    static double round(int n) throws Exception {
        return Async.run(() -> {
            AsyncQueue<Integer> there = AsyncQueue.fifo(1), back = AsyncQueue.fifo(1);
            long t0 = System.nanoTime();
            Task<Object> ping = Async.spawn(() -> {
                for (int i = 0; i < n; i++) {
                    there.put(i);
                    if (back.get() != i) throw new AssertionError("out of order");
                }
                return null;
            });
            Task<Object> pong = Async.spawn(() -> {
                for (int i = 0; i < n; i++) back.put(there.get());
                return null;
            });
            ping.await();
            pong.await();
            return (System.nanoTime() - t0) / (2.0 * n);
        });
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Warmup.run(args[1], () -> round(Math.max(1, n / 10)));
        System.out.println("RESULT " + round(n));
    }
}
