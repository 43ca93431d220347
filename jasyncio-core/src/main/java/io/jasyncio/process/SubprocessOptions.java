package io.jasyncio.process;

import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Options of {@link Subprocess#start(java.util.List, SubprocessOptions)}; start from {@link
 * #defaults()} and change what you need ({@code
 * SubprocessOptions.defaults().stdout(Redirect.DISCARD)}).
 *
 * <p>Each of the child's standard streams is one of (asyncio's {@code stdin=}/{@code stdout=}/
 * {@code stderr=}):
 *
 * <ul>
 *   <li>{@link Redirect#PIPE} (the default, asyncio's {@code PIPE}): a stream of the {@link
 *       Subprocess} ({@link Subprocess#stdin()}, {@link Subprocess#stdout()}, {@link
 *       Subprocess#stderr()}), which someone must read or feed;
 *   <li>{@link Redirect#INHERIT} (asyncio's {@code None}): this process's own stream;
 *   <li>{@link Redirect#DISCARD} (asyncio's {@code DEVNULL}): output is thrown away; for stdin it
 *       means empty input (the child reads the null device and sees end of input at once);
 *   <li>a file: {@link Redirect#from(File)} for stdin, {@link Redirect#to(File)} or {@link
 *       Redirect#appendTo(File)} for stdout and stderr;
 *   <li>for stderr, also {@link #stderrToStdout()} (asyncio's {@code stderr=STDOUT}): both go to
 *       wherever stdout goes, interleaved as the child writes them.
 * </ul>
 *
 * <p>A stream that is not a pipe has no pump and no pipe in this process, so a child that writes a
 * lot to a discarded or inherited stdout cannot block on it.
 *
 * @param environment the variables to give the child: on top of this process's environment if
 *     {@code inheritEnvironment}, else all of it; never null, no null names or values
 * @param inheritEnvironment whether the child starts from this process's environment
 * @param directory the working directory, or null for this process's
 * @param limit the buffer limit of the stdout and stderr readers (asyncio's {@code limit}),
 *     positive
 * @param stdin where the child's stdin comes from
 * @param stdout where the child's stdout goes
 * @param stderr where the child's stderr goes (ignored if {@code mergeStderr})
 * @param mergeStderr whether stderr goes where stdout goes ({@link #stderrToStdout()})
 */
public record SubprocessOptions(
    Map<String, String> environment,
    boolean inheritEnvironment,
    Path directory,
    int limit,
    Redirect stdin,
    Redirect stdout,
    Redirect stderr,
    boolean mergeStderr) {

  /** Checks the values; a {@link Redirect#DISCARD} stdin becomes a read of the null device. */
  public SubprocessOptions {
    environment = checkedEnvironment(environment);
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    stdin = checkedStdin(stdin);
    stdout = checkedOutput("stdout", stdout);
    stderr = checkedOutput("stderr", stderr);
  }

  /**
   * This process's environment and working directory, the 64 KiB limit, and all three streams piped
   * (as {@link Subprocess#start(java.util.List)}).
   */
  public static SubprocessOptions defaults() {
    return new SubprocessOptions(
        Map.of(),
        true,
        null,
        Subprocess.DEFAULT_LIMIT,
        Redirect.PIPE,
        Redirect.PIPE,
        Redirect.PIPE,
        false);
  }

  /**
   * With exactly these variables as the child's whole environment (asyncio's {@code env=}): none of
   * this process's variables are passed on, and variables added before are dropped. {@link
   * #addEnvironment} after this adds to it.
   *
   * @throws NullPointerException naming the variable, if a name or a value is null
   * @throws IllegalArgumentException naming the variable, if a name is empty or contains {@code =}
   *     or NUL, or a value contains NUL
   */
  public SubprocessOptions environment(Map<String, String> variables) {
    Objects.requireNonNull(variables, "environment");
    return new SubprocessOptions(
        variables, false, directory, limit, stdin, stdout, stderr, mergeStderr);
  }

  /**
   * With these variables set on top of the environment (this process's, unless {@link
   * #environment(Map)} replaced it); a variable already set is overwritten.
   *
   * @throws NullPointerException naming the variable, if a name or a value is null
   * @throws IllegalArgumentException naming the variable, if a name is empty or contains {@code =}
   *     or NUL, or a value contains NUL
   */
  public SubprocessOptions addEnvironment(Map<String, String> variables) {
    Objects.requireNonNull(variables, "variables");
    checkedEnvironment(variables); // fail before merging, naming the bad variable
    Map<String, String> all = new HashMap<>(environment);
    all.putAll(variables);
    return new SubprocessOptions(
        all, inheritEnvironment, directory, limit, stdin, stdout, stderr, mergeStderr);
  }

  /** With this variable set on top of the environment; see {@link #addEnvironment(Map)}. */
  public SubprocessOptions addEnvironment(String name, String value) {
    checkVariable(name, value); // names the variable; Map.of would throw a bare NPE
    return addEnvironment(Map.of(name, value));
  }

  /** Running in this working directory (null: this process's). */
  public SubprocessOptions directory(Path dir) {
    return new SubprocessOptions(
        environment, inheritEnvironment, dir, limit, stdin, stdout, stderr, mergeStderr);
  }

  /** With this buffer limit for the stdout and stderr readers. */
  public SubprocessOptions limit(int bytes) {
    return new SubprocessOptions(
        environment, inheritEnvironment, directory, bytes, stdin, stdout, stderr, mergeStderr);
  }

  /**
   * Taking stdin from here: {@link Redirect#PIPE}, {@link Redirect#INHERIT}, {@link
   * Redirect#DISCARD} (empty input) or {@link Redirect#from(File)}.
   */
  public SubprocessOptions stdin(Redirect redirect) {
    return new SubprocessOptions(
        environment, inheritEnvironment, directory, limit, redirect, stdout, stderr, mergeStderr);
  }

  /**
   * Sending stdout here: {@link Redirect#PIPE}, {@link Redirect#INHERIT}, {@link Redirect#DISCARD},
   * {@link Redirect#to(File)} or {@link Redirect#appendTo(File)}.
   */
  public SubprocessOptions stdout(Redirect redirect) {
    return new SubprocessOptions(
        environment, inheritEnvironment, directory, limit, stdin, redirect, stderr, mergeStderr);
  }

  /** Sending stderr here (as {@link #stdout(Redirect)}); undoes {@link #stderrToStdout()}. */
  public SubprocessOptions stderr(Redirect redirect) {
    return new SubprocessOptions(
        environment, inheritEnvironment, directory, limit, stdin, stdout, redirect, false);
  }

  /**
   * Sending stderr wherever stdout goes (asyncio's {@code stderr=STDOUT}); with a piped stdout,
   * {@link Subprocess#stdout()} reads both, and {@link Subprocess#stderr()} is not available.
   */
  public SubprocessOptions stderrToStdout() {
    return new SubprocessOptions(
        environment, inheritEnvironment, directory, limit, stdin, stdout, Redirect.PIPE, true);
  }

  /** Whether stdin is piped (the child's stdin is {@link Subprocess#stdin()}). */
  boolean stdinPiped() {
    return stdin.type() == Redirect.Type.PIPE;
  }

  /** Whether stdout is piped. */
  boolean stdoutPiped() {
    return stdout.type() == Redirect.Type.PIPE;
  }

  /** Whether stderr is piped on its own (not merged into stdout). */
  boolean stderrPiped() {
    return !mergeStderr && stderr.type() == Redirect.Type.PIPE;
  }

  /** How a redirect reads in messages: PIPE, INHERIT, DISCARD, or its file. */
  static String describe(Redirect r) {
    return switch (r.type()) {
      case PIPE -> "PIPE";
      case INHERIT -> "INHERIT";
      case READ ->
          r.file().equals(Redirect.DISCARD.file())
              ? "DISCARD (reads " + r.file() + ")"
              : "read from file " + r.file();
      case WRITE -> r.equals(Redirect.DISCARD) ? "DISCARD" : "written to file " + r.file();
      case APPEND -> "appended to file " + r.file();
    };
  }

  private static Redirect checkedStdin(Redirect r) {
    Objects.requireNonNull(r, "stdin");
    if (r.equals(Redirect.DISCARD)) {
      return Redirect.from(Redirect.DISCARD.file()); // asyncio's stdin=DEVNULL: empty input
    }
    if (r.type() == Redirect.Type.WRITE || r.type() == Redirect.Type.APPEND) {
      throw new IllegalArgumentException(
          "stdin must be PIPE, INHERIT, DISCARD or Redirect.from(file), not an output redirect: "
              + describe(r));
    }
    return r;
  }

  private static Redirect checkedOutput(String stream, Redirect r) {
    Objects.requireNonNull(r, stream);
    if (r.type() == Redirect.Type.READ) {
      throw new IllegalArgumentException(
          stream
              + " must be PIPE, INHERIT, DISCARD, Redirect.to(file) or Redirect.appendTo(file),"
              + " not an input redirect: "
              + describe(r));
    }
    return r;
  }

  private static Map<String, String> checkedEnvironment(Map<String, String> env) {
    Objects.requireNonNull(env, "environment");
    // Not Map.copyOf first: its NullPointerException would not say which variable.
    env.forEach(SubprocessOptions::checkVariable);
    return Map.copyOf(env);
  }

  /** Fails naming the variable if the JDK (or the OS) would refuse it. */
  static void checkVariable(String name, String value) {
    if (name == null) {
      throw new NullPointerException("an environment variable has a null name");
    }
    if (value == null) {
      throw new NullPointerException("environment variable " + name + " has a null value");
    }
    if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\u0000') >= 0) {
      throw new IllegalArgumentException(
          "invalid environment variable name \""
              + name.replace("\u0000", "\\0")
              + "\": it must be non-empty, without '=' or NUL");
    }
    if (value.indexOf('\u0000') >= 0) {
      throw new IllegalArgumentException(
          "environment variable " + name + " has a value containing NUL");
    }
  }
}
