package io.jasyncio.examples.guide;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.jasyncio.Async;
import io.jasyncio.files.AsyncFile;
import io.jasyncio.files.AsyncFiles;
import io.jasyncio.files.TempDirectory;
import io.jasyncio.net.ConnectOptions;
import io.jasyncio.net.Connection;
import io.jasyncio.net.Server;
import io.jasyncio.net.Streams;
import io.jasyncio.process.Subprocess;
import io.jasyncio.process.SubprocessOptions;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The code of docs/streams.md, docs/files.md and docs/subprocess.md; IoGuideTest runs it. */
public final class IoGuide {
  private IoGuide() {}

  /** A line echo server and one client, on loopback. */
  public static String echo() {
    return Async.run(
        () -> {
          // doc:streams
          Server server =
              Streams.startServer(
                  "127.0.0.1",
                  0,
                  c -> { // a task per connection
                    for (byte[] line; (line = c.reader().readLine()).length > 0; ) {
                      c.writer().write(line); // suspends only above the high mark
                    }
                  });
          String reply;
          try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
            c.writer().write("hi\n".getBytes(UTF_8));
            reply = new String(c.reader().readLine(), UTF_8);
          }
          server.shutdown(Duration.ofSeconds(5)); // close, wait up to the grace, then cancel
          // doc:end
          return reply;
        });
  }

  /** A server on every address of "localhost" and a client racing them (Happy Eyeballs). */
  public static String happyEyeballs() {
    return Async.run(
        () -> {
          Server server =
              Streams.startServer(
                  "localhost",
                  0,
                  c -> {
                    c.writer().write(c.reader().readLine());
                  });
          int sockets = server.addresses().size(); // 127.0.0.1 and ::1 on a dual-stack host
          String reply;
          // doc:happy-eyeballs
          ConnectOptions options =
              ConnectOptions.defaults()
                  .connectTimeout(Duration.ofSeconds(5)) // per attempt
                  .happyEyeballsDelay(Duration.ofMillis(250)); // null: one address after another
          try (Connection c = Streams.openConnection("localhost", server.port(), options)) {
            c.writer().write("ping\n".getBytes(UTF_8));
            reply = new String(c.reader().readLine(), UTF_8);
          }
          // doc:end
          server.shutdown(Duration.ofSeconds(5));
          return sockets > 0 ? reply : "no socket";
        });
  }

  /** A child's pipes as streams: feed `sort` and read its output line by line. */
  public static List<String> subprocessStreams() {
    return Async.run(
        () -> {
          List<String> sorted = new ArrayList<>();
          // doc:subprocess-streams
          try (Subprocess p = Subprocess.start(List.of("sort"))) {
            p.stdin().write("pear\napple\nfig\n".getBytes(UTF_8)); // suspends above 64 KiB
            p.stdin().close(); // end of input: sort answers
            for (byte[] line; (line = p.stdout().readLine()).length > 0; ) {
              sorted.add(new String(line, UTF_8).strip());
            }
            int exit = p.waitFor();
            sorted.add("exit " + exit);
          }
          // doc:end
          return sorted;
        });
  }

  /** Lines of a file, an atomic replace, and a whole-file read. */
  public static List<String> files(Path dir) {
    return Async.run(
        () -> {
          Path path = dir.resolve("notes.txt");
          Path config = dir.resolve("config.txt");
          AsyncFiles.writeString(path, "one\ntwo\n");
          byte[] bytes = "mode=fast\n".getBytes(UTF_8);
          List<String> seen = new ArrayList<>();
          // doc:files
          try (AsyncFile f = AsyncFiles.openRead(path)) {
            for (String line : f.lines()) { // hasNext() suspends while reading
              seen.add(line);
            }
          }
          AsyncFiles.atomicReplace(config, bytes); // temp file + fsync + atomic move
          byte[] all = AsyncFiles.readAllBytes(config); // one hop for a whole file
          // doc:end
          seen.add(new String(all, UTF_8).strip());
          return seen;
        });
  }

  /** A temporary directory and a temporary file, deleted on close; returns whether they were. */
  public static List<Boolean> tempFiles(Path dir) {
    return Async.run(
        () -> {
          Path[] made = new Path[2];
          // doc:temp
          try (TempDirectory work = AsyncFiles.tempDirectory(dir, "job")) { // dir: where
            AsyncFiles.writeString(work.path().resolve("input.txt"), "x");
            try (AsyncFile tmp = AsyncFiles.tempFile(work.path(), "part", ".bin")) {
              tmp.write("partial results");
              tmp.flush();
              made[1] = tmp.path(); // usable by name while open
            } // the file is deleted here, even if the task is cancelled
            made[0] = work.path();
          } // the directory and everything in it are deleted here
          // doc:end
          return List.of(AsyncFiles.exists(made[0]), AsyncFiles.exists(made[1]));
        });
  }

  /** Runs a program and collects its output with a timeout. */
  public static String subprocess(Path repoDir) {
    return Async.run(
        () -> {
          // doc:subprocess
          try (Subprocess p =
              Subprocess.start(List.of("echo", "hello"), Map.of("LC_ALL", "C"), repoDir)) {
            Subprocess.Result r = p.communicate(null, Duration.ofSeconds(10)); // timeout kills
            return r.exitCode() + ": " + new String(r.stdout(), UTF_8).strip();
          }
          // doc:end
        });
  }

  /**
   * Where a child's streams go: a loud child whose output nobody wants, then a clean environment
   * with stderr merged into stdout.
   */
  public static List<String> subprocessOptions() {
    return Async.run(
        () -> {
          List<String> seen = new ArrayList<>();
          // doc:subprocess-discard
          SubprocessOptions quiet =
              SubprocessOptions.defaults()
                  .stdin(Redirect.DISCARD) // empty input: a child that reads sees EOF at once
                  .stdout(Redirect.DISCARD) // no pipe to fill: waitFor alone is enough
                  .stderr(Redirect.INHERIT); // this process's stderr (asyncio's None)
          try (Subprocess p =
              Subprocess.start(List.of("sh", "-c", "cat; head -c 300000 /dev/zero"), quiet)) {
            seen.add("exit " + p.waitFor()); // p.stdout() would throw: it is not a pipe
          }
          // doc:end
          // doc:subprocess-env
          SubprocessOptions clean =
              SubprocessOptions.defaults()
                  .environment(Map.of("PATH", "/usr/bin:/bin")) // replaces the whole environment
                  .addEnvironment("LC_ALL", "C") // adds to it
                  .stderrToStdout(); // asyncio's stderr=STDOUT
          try (Subprocess p =
              Subprocess.start(List.of("sh", "-c", "echo $LC_ALL$HOME; ls /no/such >&2"), clean)) {
            Subprocess.Result r = p.communicate(null, Duration.ofSeconds(10));
            seen.add(new String(r.stdout(), UTF_8).lines().findFirst().orElse("")); // "C"
            seen.add(r.stderr() == null ? "merged" : "apart"); // null: it went to stdout
          }
          // doc:end
          return seen;
        });
  }
}
