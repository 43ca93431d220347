import io.jasyncio.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** W3 sleepers on jasyncio: N tasks each sleep SECONDS concurrently. Prints wall time minus SECONDS.
 *  usage: W3 N SECONDS WARMUP  (N = 0: the empty run; WARMUP rounds of N tasks sleeping
 *  SECONDS / 10 come first, unmeasured) */
public class W3 {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        double seconds = Double.parseDouble(args[1]);
        int warmup = Integer.parseInt(args[2]);
        if (n > 0) for (int i = 0; i < warmup; i++) round(n, seconds / 10);
        if (n > 0 && warmup > 0) System.gc();   // so the warm-up round's garbage does not add to the peak RSS
        System.out.println("RESULT " + round(n, seconds));
    }

    static double round(int n, double seconds) throws Exception {
        Duration d = Duration.ofMillis(Math.round(seconds * 1000));
        double overhead = Async.run(() -> {
            if (n == 0) return 0.0;
            long t0 = System.nanoTime();
            List<Task<Object>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) tasks.add(Async.spawn(() -> { Async.sleep(d); return null; }));
            for (Task<Object> t : tasks) t.await();
            return (System.nanoTime() - t0) / 1e9 - seconds;
        });
        return overhead;
    }
}
