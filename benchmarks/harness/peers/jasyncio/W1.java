import io.jasyncio.*;

import java.util.ArrayList;
import java.util.List;

/** W1 spawn on jasyncio: N tasks each return an int, await all. Prints µs per task.
 *  usage: W1 N WARMUP (rounds, or "5s": rounds for 5 seconds) */
public class W1 {
    static double round(int n) throws Exception {
        return Async.run(() -> {
            long t0 = System.nanoTime();
            List<Task<Integer>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                final int v = i;
                tasks.add(Async.spawn(() -> v));
            }
            long sum = 0;
            for (Task<Integer> t : tasks) sum += t.await();
            double us = (System.nanoTime() - t0) / 1e3 / n;
            if (sum != (long) n * (n - 1) / 2) throw new AssertionError("bad sum " + sum);
            return us;
        });
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Warmup.run(args[1], () -> round(n));
        System.out.println("RESULT " + round(n));
    }
}
