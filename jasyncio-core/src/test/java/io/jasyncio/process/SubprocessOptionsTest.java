package io.jasyncio.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.TimeoutExpiredException;
import io.jasyncio.net.FdCount;
import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-stream redirects, replacing or adding to the environment, and timeout messages. */
class SubprocessOptionsTest {
  @TempDir Path dir;

  static String s(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void aDiscardedStdoutLetsALoudChildFinishWithoutAReader() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  // 300,000 bytes would fill a 64 KiB pipe nobody reads and hang waitFor.
                  try (Subprocess p =
                      Subprocess.start(
                          List.of("sh", "-c", "head -c 300000 /dev/zero"),
                          SubprocessOptions.defaults().stdout(Redirect.DISCARD))) {
                    assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
                  }
                }));
  }

  @Test
  void stdoutToAFileAndStdinFromAFile() throws Exception {
    Path in = dir.resolve("in.txt");
    Path out = dir.resolve("out.bin");
    Files.writeString(in, "from a file\n");
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  try (Subprocess p =
                      Subprocess.start(
                          List.of("sh", "-c", "cat; head -c 300000 /dev/zero"),
                          SubprocessOptions.defaults()
                              .stdin(Redirect.from(in.toFile()))
                              .stdout(Redirect.to(out.toFile())))) {
                    Subprocess.Result r = p.communicate(null);
                    assertThat(r.exitCode()).isZero();
                    assertThat(r.stdout()).isNull(); // not a pipe: asyncio's None
                    assertThat(r.stderr()).isEmpty();
                  }
                  assertThat(Files.size(out)).isEqualTo(12 + 300_000);
                  assertThat(Files.readString(out)).startsWith("from a file\n");
                }));
  }

  @Test
  void aDiscardedStdinIsEmptyInput() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  try (Subprocess p =
                      Subprocess.start(
                          List.of("sh", "-c", "cat; echo eof"),
                          SubprocessOptions.defaults().stdin(Redirect.DISCARD))) {
                    Subprocess.Result r = p.communicate(null, Duration.ofSeconds(30));
                    assertThat(r.exitCode()).isZero();
                    assertThat(s(r.stdout())).isEqualTo("eof\n");
                    assertThat(r.stderr()).isEmpty();
                  }
                }));
  }

  @Test
  void anInheritedStreamIsNotAPipe() {
    Async.run(
        () -> {
          // The child writes nothing to the inherited streams (they are the test JVM's own).
          try (Subprocess p =
              Subprocess.start(
                  List.of("sh", "-c", "echo out"),
                  SubprocessOptions.defaults().stdin(Redirect.INHERIT).stderr(Redirect.INHERIT))) {
            Subprocess.Result r = p.communicate(null);
            assertThat(s(r.stdout())).isEqualTo("out\n");
            assertThat(r.stderr()).isNull();
            assertThatThrownBy(p::stdin)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stdin of pid " + p.pid())
                .hasMessageContaining("not a pipe")
                .hasMessageContaining("INHERIT");
            assertThatThrownBy(p::stderr)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stderr")
                .hasMessageContaining("INHERIT");
          }
        });
  }

  @Test
  void stderrIntoStdoutKeepsTheOrder() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  try (Subprocess p =
                      Subprocess.start(
                          List.of("sh", "-c", "echo out1; echo err1 >&2; echo out2; echo err2 >&2"),
                          SubprocessOptions.defaults().stderrToStdout())) {
                    assertThat(s(p.stdout().readLine())).isEqualTo("out1\n");
                    assertThatThrownBy(p::stderr)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("stderr of pid " + p.pid())
                        .hasMessageContaining("stderrToStdout");
                    Subprocess.Result r = p.communicate(null);
                    assertThat(s(r.stdout())).isEqualTo("err1\nout2\nerr2\n");
                    assertThat(r.stderr()).isNull();
                  }
                }));
  }

  @Test
  void accessorsAndCommunicateFailClearlyForStreamsThatAreNotPipes() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  try (Subprocess p =
                      Subprocess.start(
                          List.of("true"),
                          SubprocessOptions.defaults()
                              .stdin(Redirect.DISCARD)
                              .stdout(Redirect.DISCARD)
                              .stderr(Redirect.DISCARD))) {
                    assertThatThrownBy(p::stdout)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("stdout of pid " + p.pid() + " (true)")
                        .hasMessageContaining("DISCARD");
                    assertThatThrownBy(p::stderr)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("stderr")
                        .hasMessageContaining("DISCARD");
                    assertThatThrownBy(p::stdin)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("stdin")
                        .hasMessageContaining("DISCARD");
                    assertThatThrownBy(() -> p.communicate(new byte[1]))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("input given but stdin");
                    Subprocess.Result r = p.communicate(null);
                    assertThat(r.exitCode()).isZero();
                    assertThat(r.stdout()).isNull();
                    assertThat(r.stderr()).isNull();
                  }
                }));
  }

  @Test
  void badRedirectsFailAtTheOptionCall() {
    File f = dir.resolve("x").toFile();
    assertThatThrownBy(() -> SubprocessOptions.defaults().stdin(Redirect.to(f)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stdin");
    assertThatThrownBy(() -> SubprocessOptions.defaults().stdout(Redirect.from(f)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stdout");
    assertThatThrownBy(() -> SubprocessOptions.defaults().stderr(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("stderr");
    assertThatThrownBy(() -> SubprocessOptions.defaults().limit(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
  }

  @Test
  void environmentReplacesAndAddEnvironmentAdds() {
    Async.run(
        () -> {
          try (Subprocess p =
              Subprocess.start(
                  List.of("/usr/bin/env"),
                  SubprocessOptions.defaults()
                      .addEnvironment("DROPPED", "1")
                      .environment(Map.of("ONLY", "x"))
                      .addEnvironment("ALSO", "y"))) {
            String env = s(p.communicate(null).stdout());
            assertThat(env.lines().sorted()).containsExactly("ALSO=y", "ONLY=x");
          }
          try (Subprocess p =
              Subprocess.start(
                  List.of("/usr/bin/env"),
                  SubprocessOptions.defaults().addEnvironment(Map.of("GREETING", "hi")))) {
            String env = s(p.communicate(null).stdout());
            assertThat(env.lines()).contains("GREETING=hi");
            assertThat(env.lines()).anyMatch(l -> l.startsWith("PATH=")); // inherited
          }
        });
  }

  @Test
  void badVariablesFailAtTheOptionCallNamingThem() {
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("FOO", null);
    Map<String, String> nullName = new HashMap<>();
    nullName.put(null, "v");
    SubprocessOptions o = SubprocessOptions.defaults();
    assertThatThrownBy(() -> o.addEnvironment(nullValue))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("FOO");
    assertThatThrownBy(() -> o.environment(nullValue))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("FOO");
    assertThatThrownBy(() -> o.addEnvironment("BAR", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("BAR");
    assertThatThrownBy(() -> o.addEnvironment(nullName))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("null name");
    assertThatThrownBy(() -> o.addEnvironment("A=B", "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("A=B");
    // The older start(command, env, cwd) checks the same way, before starting anything.
    Async.run(
        () ->
            assertThatThrownBy(() -> Subprocess.start(List.of("true"), nullValue, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("FOO"));
  }

  @Test
  void aTimeoutSaysWhichProgramAfterHowLongAndThatItWasKilled() {
    FdCount.assertNoLeak(
        () ->
            Async.run(
                () -> {
                  try (Subprocess p = Subprocess.start(List.of("sleep", "60"))) {
                    assertThatThrownBy(() -> p.waitFor(Duration.ofMillis(100)))
                        .isInstanceOf(TimeoutExpiredException.class)
                        .hasMessage(
                            "waitFor of subprocess [sleep 60] (pid "
                                + p.pid()
                                + ") timed out after 100 ms; it was killed (SIGKILL; exit code 137)");
                    assertThat(p.isAlive()).isFalse();
                  }
                  String longArg = "x".repeat(100);
                  try (Subprocess p =
                      Subprocess.start(List.of("sh", "-c", "exec sleep 60 # " + longArg))) {
                    assertThatThrownBy(() -> p.communicate(null, Duration.ofSeconds(1)))
                        .isInstanceOf(TimeoutExpiredException.class)
                        .hasMessageStartingWith(
                            "communicate of subprocess [sh -c exec sleep 60 # xxx")
                        .hasMessageContaining("...] (pid " + p.pid() + ")")
                        .hasMessageContaining("timed out after 1 s; it was killed")
                        .hasMessageNotContaining(longArg);
                  }
                }));
  }
}
