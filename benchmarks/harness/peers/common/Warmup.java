/** The warm-up a JVM peer program does before its measured round, as the harness asks for it:
 *  a number of rounds ("2"), or rounds until that many seconds have passed ("5s"; at least one).
 *  Compiled next to every Java peer program (plain virtual threads and jasyncio). */
final class Warmup {
    private Warmup() {}

    interface Round {
        void run() throws Exception;
    }

    static void run(String spec, Round round) throws Exception {
        if (spec.endsWith("s")) {
            double seconds = Double.parseDouble(spec.substring(0, spec.length() - 1));
            long end = System.nanoTime() + (long) (seconds * 1e9);
            do {
                round.run();
            } while (System.nanoTime() - end < 0);
        } else {
            for (int i = Integer.parseInt(spec); i > 0; i--) {
                round.run();
            }
        }
    }
}
