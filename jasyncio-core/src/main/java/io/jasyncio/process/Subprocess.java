package io.jasyncio.process;

import io.jasyncio.Async;
import io.jasyncio.AsyncException;
import io.jasyncio.CancelledError;
import io.jasyncio.TimeoutExpiredException;
import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.io.Blocking;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A child process (asyncio's {@code create_subprocess_exec} and {@code Process}).
 *
 * <p>Waiting suspends only the calling task. {@link #communicate} pumps stdin, stdout and stderr on
 * virtual threads at the same time, so a child that writes a lot never deadlocks against a full
 * pipe. <b>Resource safety</b>: if a task waiting in {@link #waitFor()} or {@link #communicate} is
 * cancelled or times out, the process is killed and reaped and its pipes closed before the
 * cancellation propagates; {@link #close()} does the same for a process nobody waits for.
 */
public final class Subprocess implements AutoCloseable {
  private static final ExecutorService PUMPS = Executors.newVirtualThreadPerTaskExecutor();

  /** What {@link #communicate} collected. */
  public record Result(int exitCode, byte[] stdout, byte[] stderr) {}

  private final Process process;

  private Subprocess(Process process) {
    this.process = process;
  }

  /** {@link #start(List, Map, Path)} inheriting environment and working directory. */
  public static Subprocess start(List<String> command) throws IOException {
    return start(command, null, null);
  }

  /**
   * Starts {@code command} with piped stdin, stdout and stderr. <b>Suspends</b> while the process
   * is created (fork/exec runs on a virtual thread).
   *
   * @param command the program and its arguments; not empty
   * @param env variables to set on top of this process's environment, or null
   * @param cwd the working directory, or null for this process's
   * @throws IOException if the program cannot be started
   */
  public static Subprocess start(List<String> command, Map<String, String> env, Path cwd)
      throws IOException {
    Objects.requireNonNull(command, "command");
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command must not be empty");
    }
    LoopImpl.currentTask("Subprocess.start");
    ProcessBuilder pb = new ProcessBuilder(List.copyOf(command));
    if (env != null) {
      pb.environment().putAll(env);
    }
    if (cwd != null) {
      pb.directory(cwd.toFile());
    }
    return new Subprocess(Blocking.call("spawn", pb::start, Subprocess::destroyAndClose));
  }

  /** The process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The child's stdin (blocking stream: write to it from a virtual thread or via communicate). */
  public OutputStream stdin() {
    return process.getOutputStream();
  }

  /** The child's stdout (blocking stream). */
  public InputStream stdout() {
    return process.getInputStream();
  }

  /** The child's stderr (blocking stream). */
  public InputStream stderr() {
    return process.getErrorStream();
  }

  /**
   * <b>Suspends</b> until the process exits; returns its exit code. If the caller is cancelled, the
   * process is killed first.
   */
  public int waitFor() {
    try {
      return Async.await(process.onExit()).exitValue();
    } catch (CancelledError e) {
      destroyAndClose(process);
      throw e;
    }
  }

  /**
   * {@link #waitFor()} with a time limit; the process is killed when it runs out.
   *
   * @throws TimeoutExpiredException after killing the process
   */
  public int waitFor(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return Async.timeout(timeout, () -> waitFor());
  }

  /**
   * Writes {@code input} (or nothing) to stdin and closes it, reads stdout and stderr to the end,
   * and waits for the exit; <b>suspends</b> throughout. Cancelling the caller kills the process.
   *
   * @param input bytes for stdin, or null
   * @return exit code and everything the child wrote
   */
  public Result communicate(byte[] input) throws IOException {
    CompletableFuture<Void> in =
        CompletableFuture.runAsync(
            () -> {
              try (OutputStream os = process.getOutputStream()) {
                if (input != null) {
                  os.write(input);
                }
              } catch (IOException e) {
                // the child closed its stdin early: asyncio ignores this too
              }
            },
            PUMPS);
    CompletableFuture<byte[]> out = readAll(process.getInputStream());
    CompletableFuture<byte[]> err = readAll(process.getErrorStream());
    try {
      Async.await(CompletableFuture.allOf(in, out, err));
      int code = waitFor();
      return new Result(code, out.join(), err.join());
    } catch (CancelledError e) {
      destroyAndClose(process);
      throw e;
    } catch (AsyncException e) {
      throw Blocking.unwrap(e);
    }
  }

  /** {@link #communicate(byte[])} with a time limit that kills the process. */
  public Result communicate(byte[] input, Duration timeout) throws IOException {
    try {
      return Async.timeout(timeout, () -> communicate(input));
    } catch (AsyncException e) {
      throw Blocking.unwrap(e);
    }
  }

  private static CompletableFuture<byte[]> readAll(InputStream s) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (s) {
            return s.readAllBytes();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        },
        PUMPS);
  }

  /** Asks the process to stop (SIGTERM). */
  public void terminate() {
    process.destroy();
  }

  /** Kills the process (SIGKILL). */
  public void kill() {
    process.destroyForcibly();
  }

  /** Kills the process if it still runs and closes its pipes. Does not suspend. Idempotent. */
  @Override
  public void close() {
    destroyAndClose(process);
  }

  static void destroyAndClose(Process p) {
    p.destroyForcibly();
    try {
      // Reap it, so "cancelled" means "gone": SIGKILL cannot be ignored, this takes an instant.
      p.waitFor(1, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly(p.getOutputStream());
    closeQuietly(p.getInputStream());
    closeQuietly(p.getErrorStream());
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // the descriptor is released anyway
    }
  }

  @Override
  public String toString() {
    return "Subprocess[pid=" + process.pid() + (process.isAlive() ? "" : ", exited") + "]";
  }
}
