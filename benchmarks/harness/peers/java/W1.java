import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** W1 spawn on plain virtual threads: N tasks each return an int, await all. Prints µs per task.
 *  usage: W1 N WARMUP (rounds, or "5s": rounds for 5 seconds) */
public class W1 {
    static double round(int n) throws Exception {
        long t0 = System.nanoTime();
        long sum = 0;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<Integer>>(n);
            for (int i = 0; i < n; i++) {
                final int v = i;
                futures.add(executor.submit(() -> v));
            }
            for (var f : futures) sum += f.get();
        }
        double us = (System.nanoTime() - t0) / 1e3 / n;
        if (sum != (long) n * (n - 1) / 2) throw new AssertionError("bad sum " + sum);
        return us;
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Warmup.run(args[1], () -> round(n));
        System.out.println("RESULT " + round(n));
    }
}
