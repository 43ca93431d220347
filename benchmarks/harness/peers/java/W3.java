/** W3 sleepers on plain virtual threads: N threads each sleep SECONDS concurrently.
 *  Prints wall time minus SECONDS.  usage: W3 N SECONDS WARMUP  (N = 0: the empty run;
 *  WARMUP rounds of N threads sleeping SECONDS / 10 come first, unmeasured) */
public class W3 {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        double seconds = Double.parseDouble(args[1]);
        int warmup = Integer.parseInt(args[2]);
        if (n == 0) { System.out.println("RESULT 0"); return; }
        for (int i = 0; i < warmup; i++) round(n, seconds / 10);
        if (warmup > 0) System.gc();   // so the warm-up round's garbage does not add to the peak RSS
        System.out.println("RESULT " + round(n, seconds));
    }

    static double round(int n, double seconds) throws Exception {
        long millis = Math.round(seconds * 1000);
        long t0 = System.nanoTime();
        Thread[] threads = new Thread[n];
        Runnable sleeper = () -> {
            try { Thread.sleep(millis); } catch (InterruptedException e) { throw new RuntimeException(e); }
        };
        for (int i = 0; i < n; i++) threads[i] = Thread.ofVirtual().start(sleeper);
        for (Thread t : threads) t.join();
        return (System.nanoTime() - t0) / 1e9 - seconds;
    }
}
