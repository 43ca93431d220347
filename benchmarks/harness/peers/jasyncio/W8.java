import io.jasyncio.Async;
import io.jasyncio.files.AsyncFiles;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** W8 on jasyncio: SHA-256 of every *.bin in DIR with 64 worker tasks (at most 64 files open),
 *  reads through AsyncFiles, hashing off the loop; writes "name hash" lines to SUMMARY, sorted.
 *  usage: W8 DIR SUMMARY WARMUP (passes, or "5s": passes for 5 seconds); prints RESULT <files per second>. */
public class W8 {
    static final ExecutorService CPU = Executors.newVirtualThreadPerTaskExecutor();

    static String sha256(byte[] d) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(d));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> hashAll(List<Path> files) {
        String[] out = new String[files.size()];
        int[] next = {0};
        List<Callable<Void>> workers = new ArrayList<>();
        for (int w = 0; w < Math.min(64, files.size()); w++) {
            workers.add(() -> {
                for (int i = next[0]++; i < files.size(); i = next[0]++) {
                    Path p = files.get(i);
                    byte[] data = AsyncFiles.readAllBytes(p);
                    out[i] = p.getFileName() + " "
                            + Async.await(CompletableFuture.supplyAsync(() -> sha256(data), CPU));
                }
                return null;
            });
        }
        Async.gather(workers);
        return List.of(out);
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Path summary = Path.of(args[1]);
        double rate = Async.run(() -> {
            List<Path> files = AsyncFiles.list(dir).stream()
                    .filter(p -> p.getFileName().toString().endsWith(".bin")).sorted().toList();
            Warmup.run(args[2], () -> hashAll(files));
            long t0 = System.nanoTime();
            List<String> lines = hashAll(files);
            AsyncFiles.writeString(summary, String.join("\n", lines) + "\n");
            return files.size() / ((System.nanoTime() - t0) / 1e9);
        });
        System.out.printf("RESULT %.1f%n", rate);
    }
}
