package io.jasyncio.tools;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code jasyncio ps PID} and {@code jasyncio pstree PID}: the task tree of another JVM.
 *
 * <p>Exit status: 0 on success, 1 when the target cannot be read (not a JVM, no jasyncio, attach
 * refused), 2 on a usage error.
 */
@Command(
    name = "jasyncio",
    mixinStandardHelpOptions = true,
    version = "jasyncio tools 0.1",
    description = "Inspect the event loops and tasks of a running jasyncio JVM.",
    subcommands = {Main.Ps.class, Main.PsTree.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private Main() {}

  /** Without a subcommand: a usage error. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing required subcommand: ps PID or pstree PID");
  }

  /**
   * Runs the command and exits with its status.
   *
   * @param args {@code ps PID} or {@code pstree PID}
   */
  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Runs the command, printing to {@code out} and {@code err}.
   *
   * @return the exit status
   */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof ToolException t) {
            cmd.getErr().println("jasyncio " + cmd.getCommandName() + ": " + t.getMessage());
            return t.status();
          }
          throw e;
        });
    int status = cl.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  /**
   * The PID argument and the call shared by both commands; a command's name is the TaskTree MBean
   * operation it calls.
   */
  abstract static class Inspect implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PID", description = "process id of the target JVM")
    String pid;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws ToolException {
      String text = TaskTreeClient.fetch(pid, spec.name());
      spec.commandLine().getOut().print(text);
      return 0;
    }
  }

  @Command(
      name = "ps",
      mixinStandardHelpOptions = true,
      description = "List the event loops and tasks of JVM PID as a table.")
  static final class Ps extends Inspect {}

  @Command(
      name = "pstree",
      mixinStandardHelpOptions = true,
      description = "Show the tasks of JVM PID as a tree, with where each one waits.")
  static final class PsTree extends Inspect {}
}
