package io.jasyncio.process;

import io.jasyncio.Async;
import io.jasyncio.AsyncException;
import io.jasyncio.CancelledError;
import io.jasyncio.Task;
import io.jasyncio.TimeoutExpiredException;
import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.io.Blocking;
import io.jasyncio.internal.io.Closeables;
import io.jasyncio.internal.io.PipeSink;
import io.jasyncio.internal.io.PipeSource;
import io.jasyncio.internal.io.StreamAccess;
import io.jasyncio.net.ConnectOptions;
import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A child process (asyncio's {@code create_subprocess_exec} and {@code Process}).
 *
 * <p>Its pipes are streams, as in asyncio: {@link #stdin()} is a {@link StreamWriter} (with
 * backpressure), {@link #stdout()} and {@link #stderr()} are {@link StreamReader}s ({@code
 * readLine}, {@code readUntil}, the buffer limit...). The JDK's pipes are blocking streams, so each
 * one is served by a pump on a small platform daemon thread that hands data to and from the loop;
 * reading ahead is bounded by the reader's limit and writing behind by a 64 KiB window plus the
 * writer's high-water mark, so a fast child never makes this process's memory grow without bound. A
 * pump starts when its stream is first asked for; {@link #process()} gives the raw {@link Process}
 * for what the streams do not cover, but once a stream is in use, do not read or write its raw
 * pipe.
 *
 * <p>By default all three streams are pipes; {@link SubprocessOptions} can instead inherit, discard
 * or redirect each to a file, or send stderr to stdout (asyncio's {@code stdin=}, {@code stdout=},
 * {@code stderr=}). A stream that is not a pipe has no pump, and its accessor throws {@link
 * IllegalStateException}.
 *
 * <p>Waiting suspends only the calling task. {@link #communicate} feeds stdin and drains stdout and
 * stderr at the same time, so a child that writes a lot never deadlocks against a full pipe.
 *
 * <p><b>Resource safety</b>: if a task waiting in {@link #waitFor()} or {@link #communicate} is
 * cancelled or times out, the process is killed and reaped and its pipes closed before the
 * cancellation propagates; {@link #close()} does the same for a process nobody waits for. Reading
 * or writing a pipe does not own the process: cancelling a read leaves the child running and the
 * stream usable.
 *
 * <p>Use the streams, {@code waitFor} and {@code communicate} from tasks of the loop that started
 * the process.
 */
public final class Subprocess implements AutoCloseable {
  /** The default limit of {@link #stdout()} and {@link #stderr()}, as asyncio's: 64 KiB. */
  public static final int DEFAULT_LIMIT = ConnectOptions.DEFAULT_LIMIT;

  /** How many bytes the stdin pump takes from the writer at a time (a pipe's capacity). */
  private static final int STDIN_WINDOW = 64 * 1024;

  /** What {@link #communicate} collected. */
  public record Result(int exitCode, byte[] stdout, byte[] stderr) {}

  private final Process process;
  private final LoopImpl loop;
  private final int limit;
  private final String name;
  private final String commandLine;
  private final SubprocessOptions options;
  private volatile PipeSink stdinSink; // volatile: close() may run on any thread
  private StreamWriter stdin;
  private volatile PipeSource stdoutSource;
  private StreamReader stdout;
  private volatile PipeSource stderrSource;
  private StreamReader stderr;
  private volatile boolean closed;

  private Subprocess(
      Process process, LoopImpl loop, List<String> command, SubprocessOptions options) {
    this.process = process;
    this.loop = loop;
    this.limit = options.limit();
    this.options = options;
    this.commandLine = shorten(String.join(" ", command));
    // Names (threads, tasks, messages, toString) show only the program, never its arguments, which
    // may hold secrets; the timeout message alone shows the (shortened) command line.
    this.name = "pid " + process.pid() + " (" + program(command.get(0)) + ")";
  }

  /** The program's file name, without its directory. */
  private static String program(String path) {
    int slash = path.lastIndexOf('/');
    return slash >= 0 && slash < path.length() - 1 ? path.substring(slash + 1) : path;
  }

  /** The command line cut to 60 characters, for messages. */
  private static String shorten(String line) {
    return line.length() <= 60 ? line : line.substring(0, 57) + "...";
  }

  /** {@link #start(List, Map, Path)} inheriting environment and working directory. */
  public static Subprocess start(List<String> command) throws IOException {
    return start(command, null, null);
  }

  /** {@link #start(List, Map, Path, int)} with the default 64 KiB stream limit. */
  public static Subprocess start(List<String> command, Map<String, String> env, Path cwd)
      throws IOException {
    return start(command, env, cwd, DEFAULT_LIMIT);
  }

  /**
   * Starts {@code command} with piped stdin, stdout and stderr: {@link #start(List,
   * SubprocessOptions)} with {@code env} added to this process's environment (it does not replace
   * it: see {@link SubprocessOptions#environment(Map)} for that), {@code cwd} and {@code limit}.
   *
   * @param command the program and its arguments; not empty
   * @param env variables to set on top of this process's environment, or null
   * @param cwd the working directory, or null for this process's
   * @param limit the buffer limit of {@link #stdout()} and {@link #stderr()} (asyncio's {@code
   *     limit}), which also bounds how far each pipe is read ahead; positive
   * @throws IOException if the program cannot be started
   * @throws NullPointerException naming the variable, if {@code env} has a null name or value
   */
  public static Subprocess start(List<String> command, Map<String, String> env, Path cwd, int limit)
      throws IOException {
    SubprocessOptions options = SubprocessOptions.defaults().directory(cwd).limit(limit);
    if (env != null) {
      options = options.addEnvironment(env);
    }
    return start(command, options);
  }

  /**
   * Starts {@code command} (asyncio's {@code create_subprocess_exec}) with these options: its
   * environment, working directory, stream limit, and where each of its standard streams goes
   * (piped, inherited, discarded, a file, or stderr into stdout). <b>Suspends</b> while the process
   * is created (fork/exec runs on a virtual thread); if cancelled meanwhile, the process is killed.
   *
   * @param command the program and its arguments; not empty, no null element
   * @param options see {@link SubprocessOptions#defaults()}
   * @throws IOException if the program cannot be started (or a redirect file cannot be opened)
   */
  public static Subprocess start(List<String> command, SubprocessOptions options)
      throws IOException {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(options, "options");
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command must not be empty");
    }
    for (int i = 0; i < command.size(); i++) {
      if (command.get(i) == null) {
        throw new NullPointerException("command element " + i + " is null: " + command);
      }
    }
    LoopImpl.currentTask("Subprocess.start");
    LoopImpl loop = Objects.requireNonNull(LoopImpl.currentOrNull());
    ProcessBuilder pb = new ProcessBuilder(List.copyOf(command));
    if (!options.inheritEnvironment()) {
      pb.environment().clear();
    }
    pb.environment().putAll(options.environment());
    if (options.directory() != null) {
      pb.directory(options.directory().toFile());
    }
    pb.redirectInput(options.stdin());
    pb.redirectOutput(options.stdout());
    if (options.mergeStderr()) {
      pb.redirectErrorStream(true);
    } else {
      pb.redirectError(options.stderr());
    }
    Process p = Blocking.call("spawn", pb::start, Subprocess::destroyAndClose);
    return new Subprocess(p, loop, command, options);
  }

  /** The process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * The underlying {@link Process}, for what this class does not cover (its {@link
   * Process#toHandle() handle}, descendants, ...). Its pipes are the ones behind the streams: once
   * {@link #stdin()}, {@link #stdout()} or {@link #stderr()} was called, leave that raw pipe alone.
   */
  public Process process() {
    return process;
  }

  /**
   * The child's stdin as a stream writer (asyncio's {@code Process.stdin}). {@code write} suspends
   * above the high-water mark (64 KiB) while the child does not read; {@code close()} closes the
   * pipe after the buffered bytes, which the child sees as end of input. Created, and its pump
   * started, on first call; then the same writer every time.
   *
   * @throws IllegalStateException if not called from a task of the loop that started the process,
   *     or if stdin is not a pipe ({@link SubprocessOptions#stdin})
   */
  public StreamWriter stdin() {
    checkLoop("stdin");
    if (stdin == null) {
      checkPiped("stdin", options.stdinPiped(), options.stdin());
      PipeSink sink =
          new PipeSink(loop, process.getOutputStream(), STDIN_WINDOW, "stdin of " + name);
      stdinSink = sink;
      process.onExit().thenRun(sink::childExited); // the pump must not outlive the child
      stdin =
          StreamAccess.get()
              .writer(
                  stdinSink,
                  ConnectOptions.DEFAULT_HIGH_WATER,
                  ConnectOptions.DEFAULT_HIGH_WATER / 4);
      if (closed) {
        stdin.abort();
      }
    }
    return stdin;
  }

  /**
   * The child's stdout as a stream reader (asyncio's {@code Process.stdout}): {@code readLine},
   * {@code readUntil}, {@code readExactly}, {@code read}, with the limit given at start. End of
   * stream is clean once the child closed its stdout (usually by exiting). Created, and its pump
   * started, on first call.
   *
   * @throws IllegalStateException if not called from a task of the loop that started the process,
   *     or if stdout is not a pipe ({@link SubprocessOptions#stdout})
   */
  public StreamReader stdout() {
    checkLoop("stdout");
    if (stdout == null) {
      checkPiped("stdout", options.stdoutPiped(), options.stdout());
      stdoutSource = new PipeSource(loop, process.getInputStream(), limit, "stdout of " + name);
      stdout = StreamAccess.get().reader(stdoutSource, limit);
      if (closed) {
        stdoutSource.close();
      }
    }
    return stdout;
  }

  /**
   * The child's stderr as a stream reader; see {@link #stdout()}.
   *
   * @throws IllegalStateException if not called from a task of the loop that started the process,
   *     or if stderr is not a pipe ({@link SubprocessOptions#stderr}, {@link
   *     SubprocessOptions#stderrToStdout()})
   */
  public StreamReader stderr() {
    checkLoop("stderr");
    if (stderr == null) {
      if (options.mergeStderr()) {
        throw new IllegalStateException(
            "stderr of "
                + name
                + " is not a pipe: it goes to stdout (SubprocessOptions.stderrToStdout())");
      }
      checkPiped("stderr", options.stderrPiped(), options.stderr());
      stderrSource = new PipeSource(loop, process.getErrorStream(), limit, "stderr of " + name);
      stderr = StreamAccess.get().reader(stderrSource, limit);
      if (closed) {
        stderrSource.close();
      }
    }
    return stderr;
  }

  private void checkPiped(String stream, boolean piped, ProcessBuilder.Redirect redirect) {
    if (!piped) {
      throw new IllegalStateException(
          stream
              + " of "
              + name
              + " is not a pipe: it was started with "
              + stream
              + " "
              + SubprocessOptions.describe(redirect)
              + " (SubprocessOptions."
              + stream
              + ")");
    }
  }

  private void checkLoop(String what) {
    if (LoopImpl.currentOrNull() != loop) {
      throw new IllegalStateException(
          what
              + " must be called from a task of the event loop that started the process ("
              + name
              + ")");
    }
  }

  /**
   * <b>Suspends</b> until the process exits; returns its exit code. If the caller is cancelled, the
   * process is killed first.
   */
  public int waitFor() {
    if (!process.isAlive()) {
      return process.exitValue(); // no suspension: a zero timeout around it still gets the code
    }
    try {
      return Async.await(process.onExit()).exitValue();
    } catch (CancelledError e) {
      closeAfterCancel();
      throw e;
    }
  }

  /**
   * {@link #waitFor()} with a time limit; the process is killed when it runs out.
   *
   * @throws TimeoutExpiredException after killing the process; the message names the command, the
   *     timeout and whether the process was killed
   */
  public int waitFor(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    try {
      return Async.timeout(timeout, () -> waitFor());
    } catch (TimeoutExpiredException e) {
      throw timedOut("waitFor", timeout, e);
    }
  }

  /** A timeout's exception saying which process, after how long, and what became of it. */
  private TimeoutExpiredException timedOut(
      String what, Duration timeout, TimeoutExpiredException e) {
    String fate;
    if (process.isAlive()) {
      fate = "it was sent SIGKILL but has not exited yet";
    } else if (process.exitValue() == 128 + 9) {
      fate = "it was killed (SIGKILL; exit code 137)";
    } else {
      fate = "it had exited with code " + process.exitValue() + " before it could be killed";
    }
    return new TimeoutExpiredException(
        what
            + " of subprocess ["
            + commandLine
            + "] (pid "
            + process.pid()
            + ") timed out after "
            + format(timeout)
            + "; "
            + fate,
        e.getCause());
  }

  private static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  /**
   * Writes {@code input} (or nothing) to stdin and closes it, reads stdout and stderr to the end,
   * and waits for the exit; <b>suspends</b> throughout (asyncio's {@code communicate}). The three
   * pipes are served at once, so a child that writes megabytes while we still feed it never
   * deadlocks. Uses the same streams as {@link #stdin()}/{@link #stdout()}/{@link #stderr()}: what
   * was already read from them is not returned again. If the child stops reading its stdin early
   * (exits, closes it), the rest of the input is dropped, as asyncio does. Cancelling the caller
   * kills the process and closes its pipes.
   *
   * <p>Streams that are not pipes ({@link SubprocessOptions}) are left alone: the result's {@code
   * stdout}/{@code stderr} is null for them (asyncio's None), and stderr is null when it goes to
   * stdout.
   *
   * @param input bytes for stdin, or null to just close it (or, if stdin is not a pipe, nothing)
   * @return exit code and everything the child wrote on its piped stdout and stderr
   * @throws IllegalStateException if {@code input} is given but stdin was closed already or is not
   *     a pipe
   * @throws IOException if reading a pipe failed
   */
  public Result communicate(byte[] input) throws IOException {
    LoopImpl.currentTask("communicate");
    checkLoop("communicate");
    if (input != null && !options.stdinPiped()) {
      throw new IllegalStateException(
          "communicate: input given but stdin of "
              + name
              + " is not a pipe (it was started with stdin "
              + SubprocessOptions.describe(options.stdin())
              + "); pass null input");
    }
    StreamWriter in = options.stdinPiped() ? stdin() : null;
    StreamReader out = options.stdoutPiped() ? stdout() : null;
    StreamReader err = options.stderrPiped() ? stderr() : null;
    if (input != null && in.isClosing()) {
      throw new IllegalStateException(
          "communicate: stdin of " + name + " was closed already; pass null input");
    }
    Task<Void> feeder = null;
    Task<byte[]> errReader = null;
    boolean ok = false;
    try {
      if (in != null) {
        feeder = Async.spawn("stdin feeder of " + name, () -> feed(in, input));
      }
      if (err != null) {
        errReader = Async.spawn("stderr reader of " + name, () -> readToEnd(err));
      }
      byte[] o = out == null ? null : readToEnd(out);
      byte[] e = errReader == null ? null : errReader.await();
      if (feeder != null) {
        feeder.await();
      }
      int code = waitFor();
      ok = true;
      return new Result(code, o, e);
    } catch (CancelledError e) {
      // the helpers first: closing the pipes under a helper that still reads would fail it with
      // StreamClosedException, and nobody would retrieve that
      if (feeder != null) {
        feeder.cancel();
      }
      if (errReader != null) {
        errReader.cancel();
      }
      closeAfterCancel();
      throw e;
    } catch (AsyncException e) {
      throw Blocking.unwrap(e);
    } finally {
      if (!ok) {
        if (feeder != null) {
          feeder.cancel();
        }
        if (errReader != null) {
          errReader.cancel();
        }
      }
    }
  }

  private static Void feed(StreamWriter in, byte[] input) {
    try {
      if (input != null && input.length > 0) {
        in.write(input);
      }
      in.close();
      in.waitClosed();
    } catch (IOException e) {
      // The child closed its stdin early (broken pipe): asyncio ignores this too.
      in.abort();
    }
    return null;
  }

  private static byte[] readToEnd(StreamReader r) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] b; (b = r.read(64 * 1024)).length > 0; ) {
      all.writeBytes(b);
    }
    return all.toByteArray();
  }

  /**
   * {@link #communicate(byte[])} with a time limit that kills the process.
   *
   * @throws TimeoutExpiredException after killing the process; the message names the command, the
   *     timeout and whether the process was killed
   */
  public Result communicate(byte[] input, Duration timeout) throws IOException {
    Objects.requireNonNull(timeout, "timeout");
    try {
      return Async.timeout(timeout, () -> communicate(input));
    } catch (TimeoutExpiredException e) {
      throw timedOut("communicate", timeout, e);
    } catch (AsyncException e) {
      throw Blocking.unwrap(e);
    }
  }

  /** Asks the process to stop (SIGTERM). */
  public void terminate() {
    // through the handle: Process.destroy also closes the pipes, which blocks while a pump is in
    // a write, and takes the streams from under a child that may go on running
    process.toHandle().destroy();
  }

  /** Kills the process (SIGKILL). */
  public void kill() {
    process.toHandle().destroyForcibly();
  }

  /**
   * Kills the process if it still runs and closes its pipes; reads and writes waiting on the
   * streams end with {@link io.jasyncio.net.StreamClosedException}. Does not suspend and never
   * blocks a loop: from a task it returns at once (the JDK's reaper thread collects the killed
   * child). From a thread other than the loop's it also waits up to 1 s for the child to be reaped
   * and for a blocked stdin write to end, and the streams' waiters are woken on the loop. A pipe
   * that a grandchild still holds open stays open until that grandchild closes it or exits (its
   * pump thread with it). Idempotent.
   */
  @Override
  public void close() {
    killAndReap(process);
    if (closed) {
      return;
    }
    closed = true;
    // Pipes no stream has taken over: close them here (no pump can be inside a read or write).
    if (stdinSink == null) {
      Closeables.closeQuietly(process.getOutputStream());
    }
    if (stdoutSource == null) {
      Closeables.closeQuietly(process.getInputStream());
    }
    if (stderrSource == null) {
      Closeables.closeQuietly(process.getErrorStream());
    }
    if (loop.inLoopThread()) {
      closeStreams();
    } else {
      releasePipes();
      try {
        loop.callSoonThreadsafe(this::closeStreams);
      } catch (IllegalStateException loopClosed) {
        // nobody is left to wake
      }
    }
    PipeSink in = stdinSink;
    if (in != null && LoopImpl.currentOrNull() == null) {
      // A write blocked in the kernel ends now that the child is gone; then the pump closes. Only
      // off the loop: a loop thread must not block (the pump closes the pipe on its own).
      in.awaitPumpExit(Duration.ofSeconds(1));
    }
  }

  /**
   * {@link #close()} on a cancelled wait, then, suspending (at most a second), until the killed
   * child is gone: a cancelled or timed-out {@code waitFor}/{@code communicate} means "gone"
   * without blocking the loop.
   */
  private void closeAfterCancel() {
    close();
    try {
      Async.timeout(Duration.ofSeconds(1), () -> Async.await(process.onExit()));
    } catch (RuntimeException | CancelledError stillGoing) {
      // cancelled again, or SIGKILL took over a second: the JDK's reaper finishes the job
    }
  }

  private void closeStreams() {
    if (stdin != null) {
      stdin.abort();
    }
    if (stdoutSource != null) {
      stdoutSource.close();
    }
    if (stderrSource != null) {
      stderrSource.close();
    }
  }

  private void releasePipes() {
    if (stdinSink != null) {
      stdinSink.release();
    }
    if (stdoutSource != null) {
      stdoutSource.release();
    }
    if (stderrSource != null) {
      stderrSource.release();
    }
  }

  /** Kills, reaps and closes the pipes of a process that has no streams yet. */
  static void destroyAndClose(Process p) {
    killAndReap(p);
    Closeables.closeQuietly(p.getInputStream());
    Closeables.closeQuietly(p.getErrorStream());
    Closeables.closeQuietly(p.getOutputStream());
  }

  private static void killAndReap(Process p) {
    // Not p.destroyForcibly(): the JDK then closes the pipes too, and closing stdin waits for the
    // monitor a pump blocked in a write holds (a grandchild keeping the pipe full): from a task,
    // that froze the loop. The pipes are closed here and by the pumps.
    p.toHandle().destroyForcibly();
    if (LoopImpl.currentOrNull() != null) {
      return; // never block a loop; the JDK's reaper thread collects the child in an instant
    }
    try {
      // Reap it, so "closed" means "gone": SIGKILL cannot be ignored, this takes an instant.
      p.waitFor(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "Subprocess[" + name + (process.isAlive() ? "" : ", exited") + "]";
  }
}
