import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/** W8 files on plain virtual threads: SHA-256 every *.bin file of DIR, at most 64 open at once,
 *  then write a summary file of name and hash. Prints files per second.
 *  usage: W8 DIR SUMMARY WARMUP (passes, or "5s": passes for 5 seconds) */
public class W8 {
    static final int MAX_OPEN = 64;

    static double job(Path dir, Path summary) throws Exception {
        Path[] files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".bin")).sorted().toArray(Path[]::new);
        }
        long t0 = System.nanoTime();
        var open = new Semaphore(MAX_OPEN);
        String[] hashes = new String[files.length];
        Thread[] threads = new Thread[files.length];
        for (int i = 0; i < files.length; i++) {
            final int k = i;
            threads[i] = Thread.ofVirtual().start(() -> {
                try {
                    byte[] data;
                    open.acquire();
                    try { data = Files.readAllBytes(files[k]); } finally { open.release(); }
                    hashes[k] = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
                } catch (Exception e) { throw new RuntimeException(e); }
            });
        }
        for (Thread t : threads) t.join();
        var sb = new StringBuilder();
        for (int i = 0; i < files.length; i++) {
            if (hashes[i] == null) throw new AssertionError("missing hash for " + files[i]);
            sb.append(files[i].getFileName()).append(' ').append(hashes[i]).append('\n');
        }
        Files.writeString(summary, sb);
        return files.length / ((System.nanoTime() - t0) / 1e9);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]), summary = Path.of(args[1]);
        Warmup.run(args[2], () -> job(dir, summary));
        System.out.println("RESULT " + job(dir, summary));
    }
}
