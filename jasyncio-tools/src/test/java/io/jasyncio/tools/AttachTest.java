package io.jasyncio.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.tools.demo.NestedGroups;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code jasyncio ps/pstree PID} against child JVMs started with this JVM's java and class path:
 * the NestedGroups demo (with {@code JASYNCIO_DEBUG=1}), a JVM without jasyncio, and a process that
 * is not a JVM. Each child is killed in a finally block.
 */
@Timeout(120)
class AttachTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int tool(String... args) {
    return Main.run(args, new PrintWriter(out), new PrintWriter(err));
  }

  private static Process startJava(Class<?> main, String... jvmOptions) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx64m"));
    command.addAll(List.of(jvmOptions));
    command.addAll(
        List.of(
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            main.getName()));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("JASYNCIO_DEBUG", "1");
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    return pb.start();
  }

  /** Waits for the child's first line, which it prints once it is ready to be looked at. */
  private static String awaitReady(Process p) throws IOException {
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = r.readLine();
    assertThat(line).as("the child's first line").isNotNull().startsWith("ready");
    return line;
  }

  private static void kill(Process p) throws InterruptedException {
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  @Test
  void pstreeOfTheNestedGroupsDemoShowsTheNestingAndWhereEachLeafWaits() throws Exception {
    Process child = startJava(NestedGroups.class);
    try {
      awaitReady(child);
      String pid = Long.toString(child.pid());

      assertThat(tool("pstree", pid)).as(err.toString()).isZero();
      String tree = out.toString();
      List<String> lines = tree.lines().toList();
      assertThat(lines.get(0)).matches("loop \\d+ \\(running, debug, 7 tasks\\)");
      assertThat(tree).contains("[TaskGroup@");
      int main = indexOf(lines, "(T) Task-1 #1 waiting");
      int region = indexOf(lines, "(T) region-eu #");
      int leaf = indexOf(lines, "(T) fetch-eu-1 #");
      assertThat(main).isLessThan(region).isLessThan(leaf);
      assertThat(column(lines.get(main)))
          .isLessThan(column(lines.get(region)))
          .isLessThan(column(lines.get(leaf)));
      for (String name : List.of("fetch-eu-1", "fetch-eu-2", "fetch-us-1", "fetch-us-2")) {
        int at = indexOf(lines, "(T) " + name + " #");
        assertThat(lines.get(at + 1)).contains("at io.jasyncio.Async.sleep(");
        assertThat(lines.get(at + 2)).contains("at io.jasyncio.tools.demo.NestedGroups.fetch(");
      }
      int regionAt = indexOf(lines, "(T) region-us #");
      assertThat(lines.get(regionAt + 1)).contains("at io.jasyncio.Async.taskGroup(");
      assertThat(lines.get(regionAt + 2))
          .contains("at io.jasyncio.tools.demo.NestedGroups.region(");

      out.getBuffer().setLength(0);
      assertThat(tool("ps", pid)).as(err.toString()).isZero();
      String ps = out.toString();
      assertThat(ps.lines().findFirst().orElseThrow()).startsWith("LOOP").contains("WAITING AT");
      assertThat(ps)
          .containsPattern("fetch-us-2 +waiting +\\d+ +Async\\.sleep <- NestedGroups\\.fetch\\(")
          .containsPattern("region-eu +waiting +1 +Async\\.taskGroup <- NestedGroups\\.region\\(");
    } finally {
      kill(child);
    }
  }

  private static int indexOf(List<String> lines, String part) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(part)) {
        return i;
      }
    }
    throw new AssertionError("no line with '" + part + "' in\n" + String.join("\n", lines));
  }

  private static int column(String line) {
    return line.indexOf("(T)");
  }

  @Test
  void aLoopDoesNotStartTheMBeanServerButAnAttachingToolFindsItsMBean() throws Exception {
    Process child = startJava(LoopOnly.class);
    try {
      assertThat(awaitReady(child)).isEqualTo("ready servers=0");
      assertThat(tool("ps", Long.toString(child.pid()))).as(err.toString()).isZero();
      assertThat(out.toString()).startsWith("LOOP").contains("Async.sleep");
    } finally {
      kill(child);
    }
  }

  @Test
  void aJvmWithTheMBeanTurnedOffIsNamedAsSuchAtOnce() throws Exception {
    Process child = startJava(LoopOnly.class, "-Djasyncio.jmx=false");
    try {
      assertThat(awaitReady(child)).isEqualTo("ready servers=0");
      assertThat(tool("ps", Long.toString(child.pid()))).isEqualTo(1);
      assertThat(err.toString())
          .startsWith("jasyncio ps: process " + child.pid() + " has no jasyncio event loop")
          .contains("-Djasyncio.jmx=false");
    } finally {
      kill(child);
    }
  }

  @Test
  void aJvmWithoutJasyncioIsNamedAsSuch() throws Exception {
    Process child = startJava(Idle.class);
    try {
      awaitReady(child);
      assertThat(tool("ps", Long.toString(child.pid()))).isEqualTo(1);
      assertThat(err.toString())
          .startsWith("jasyncio ps: process " + child.pid() + " has no jasyncio event loop")
          .contains("io.jasyncio:type=TaskTree");
    } finally {
      kill(child);
    }
  }

  @Test
  void aProcessThatIsNotAJvmIsNamedAsSuch() throws Exception {
    Process child = new ProcessBuilder("sleep", "600").start();
    try {
      assertThat(tool("pstree", Long.toString(child.pid()))).isEqualTo(1);
      assertThat(err.toString())
          .startsWith("jasyncio pstree: cannot attach to process " + child.pid())
          .contains("not a Java virtual machine");
    } finally {
      kill(child);
    }
  }
}
