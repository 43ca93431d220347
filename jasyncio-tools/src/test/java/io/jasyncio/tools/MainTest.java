package io.jasyncio.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The command line: usage errors and targets that are not there (no child JVM needed). */
class MainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out), new PrintWriter(err));
  }

  @Test
  void withoutASubcommandItPrintsUsage() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required subcommand", "Usage: jasyncio");
  }

  @Test
  void aMissingPidIsAUsageError() {
    assertThat(run("pstree")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter: 'PID'");
  }

  @Test
  void aPidMustBeAPositiveNumberAndIsAUsageError() {
    assertThat(run("ps", "abc")).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("jasyncio ps: not a process id: 'abc'\n");
    err.getBuffer().setLength(0);
    assertThat(run("pstree", "0")).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("jasyncio pstree: not a process id: '0'\n");
  }

  @Test
  void aProcessThatIsGoneIsNamed() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    assertThat(run("ps", Long.toString(p.pid()))).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("jasyncio ps: no process with id " + p.pid() + "\n");
  }

  @Test
  void theToolDoesNotInspectItself() {
    String me = Long.toString(ProcessHandle.current().pid());
    assertThat(run("pstree", me)).isEqualTo(1);
    assertThat(err.toString()).contains("is this tool itself");
  }

  @Test
  void helpListsBothCommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("ps", "pstree");
  }
}
