package io.jasyncio.examples.io;

import io.jasyncio.Async;
import io.jasyncio.files.AsyncFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * W8: read many files concurrently (at most 64 open), SHA-256 each, write a summary; then the same
 * one file at a time, to show the speed-up.
 *
 * <pre>
 *   FileHashing            # makes 2,000 files of 64 KiB in a temporary directory
 *   FileHashing DIR        # hashes every *.bin in DIR
 * </pre>
 *
 * Reading goes through {@link AsyncFiles} (a virtual thread per read, the loop never blocks);
 * hashing is CPU work, so it goes off the loop too ({@code Async.await} of a future run on a
 * virtual thread), which lets both cores hash while the loop keeps 64 reads in flight.
 */
public final class FileHashing {
  static final int MAX_OPEN = 64;
  private static final ExecutorService CPU = Executors.newVirtualThreadPerTaskExecutor();

  private FileHashing() {}

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Hashes {@code files} with at most {@code width} in flight; returns "hash name" lines. */
  static List<String> hashAll(List<Path> files, int width) {
    String[] out = new String[files.size()];
    int[] next = {0};
    List<Callable<Void>> workers = new ArrayList<>();
    for (int w = 0; w < Math.min(width, files.size()); w++) {
      workers.add(
          () -> {
            // Between suspension points a task runs alone on its loop: next[0]++ needs no lock.
            for (int i = next[0]++; i < files.size(); i = next[0]++) {
              Path p = files.get(i);
              byte[] data = AsyncFiles.readAllBytes(p);
              String h = Async.await(CompletableFuture.supplyAsync(() -> sha256(data), CPU));
              out[i] = h + "  " + p.getFileName();
            }
            return null;
          });
    }
    Async.gather(workers);
    return List.of(out);
  }

  /**
   * Runs both passes and prints files per second for each.
   *
   * @param args an optional directory of {@code *.bin} files
   */
  public static void main(String[] args) throws IOException {
    Path dir;
    boolean made = args.length == 0;
    if (made) {
      dir = Files.createTempDirectory("w8-");
      Random r = new Random(42);
      byte[] buf = new byte[64 * 1024];
      for (int i = 0; i < 2000; i++) {
        r.nextBytes(buf);
        Files.write(dir.resolve(String.format("f%04d.bin", i)), buf);
      }
    } else {
      dir = Path.of(args[0]);
    }
    try {
      Async.run(
          () -> {
            List<Path> files =
                AsyncFiles.list(dir).stream()
                    .filter(p -> p.getFileName().toString().endsWith(".bin"))
                    .toList();
            hashAll(files.subList(0, Math.min(200, files.size())), MAX_OPEN); // warm up
            long t0 = System.nanoTime();
            List<String> summary = hashAll(files, MAX_OPEN);
            long t1 = System.nanoTime();
            hashAll(files, 1);
            long t2 = System.nanoTime();
            AsyncFiles.writeString(dir.resolve("summary.txt"), String.join("\n", summary) + "\n");
            double conc = files.size() / ((t1 - t0) / 1e9);
            double seq = files.size() / ((t2 - t1) / 1e9);
            System.out.printf(
                "%d files: concurrent (%d open) %.0f files/s, one at a time %.0f files/s,"
                    + " speed-up %.1fx%n",
                files.size(), MAX_OPEN, conc, seq, conc / seq);
          });
    } finally {
      if (made) {
        try (var s = Files.list(dir)) {
          for (Path p : s.toList()) {
            Files.delete(p);
          }
        }
        Files.delete(dir);
      }
    }
  }
}
