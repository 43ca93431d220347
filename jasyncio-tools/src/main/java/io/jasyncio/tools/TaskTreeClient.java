package io.jasyncio.tools;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.jasyncio.debug.TaskTreeMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Optional;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads the task tree of another JVM: attach (Attach API), start its local management agent (JMX
 * over a local connector, no port, same user only), and call the {@code io.jasyncio:type=TaskTree}
 * MBean. A JVM with a jasyncio loop registers that MBean as soon as its platform MBean server
 * exists (jasyncio does not start the server itself), so after starting the agent, which starts the
 * server, the tool waits up to {@link #REGISTRATION_WAIT_MILLIS} for it if the target runs the
 * thread that registers it ({@link #WATCHER_THREAD}), and answers at once otherwise. The target
 * needs no code change and no flag.
 */
final class TaskTreeClient {
  private TaskTreeClient() {}

  /**
   * How long to wait for the MBean once the server runs: the target looks for the server ten times
   * a second, so this leaves room for a busy machine.
   */
  static final long REGISTRATION_WAIT_MILLIS = 3_000;

  /**
   * Calls {@code operation} ({@code ps} or {@code pstree}) on the TaskTree MBean of JVM {@code
   * pid}.
   *
   * @throws ToolException with a one-line explanation if that is not possible
   */
  // BanJNDI: the JMX address comes from the target's local management agent (a local connector of
  // a process of the same user), not from user input.
  @SuppressWarnings("BanJNDI")
  static String fetch(String pid, String operation) throws ToolException {
    long id;
    try {
      id = Long.parseLong(pid);
    } catch (NumberFormatException e) {
      id = -1;
    }
    if (id <= 0) {
      throw new ToolException("not a process id: '" + pid + "'", ToolException.USAGE);
    }
    Optional<ProcessHandle> process = ProcessHandle.of(id);
    if (process.isEmpty() || !process.get().isAlive()) {
      throw new ToolException("no process with id " + pid);
    }
    if (id == ProcessHandle.current().pid()) {
      throw new ToolException("process " + pid + " is this tool itself");
    }
    VirtualMachine vm;
    try {
      vm = VirtualMachine.attach(pid);
    } catch (AttachNotSupportedException | IOException e) {
      throw new ToolException(
          "cannot attach to process "
              + pid
              + ": it is not a Java virtual machine, or it runs as another user, or it was"
              + " started with -XX:+DisableAttachMechanism ("
              + e.getMessage()
              + ")",
          e);
    }
    try {
      String address = vm.startLocalManagementAgent();
      try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
        MBeanServerConnection conn = c.getMBeanServerConnection();
        ObjectName name = new ObjectName(TaskTreeMXBean.OBJECT_NAME);
        if (!isOrBecomesRegistered(conn, name)) {
          throw new ToolException(
              "process "
                  + pid
                  + " has no jasyncio event loop: it does not use jasyncio, has not created a"
                  + " loop yet, or runs with -Djasyncio.jmx=false (no MBean "
                  + TaskTreeMXBean.OBJECT_NAME
                  + ")");
        }
        return (String) conn.invoke(name, operation, null, null);
      }
    } catch (IOException | JMException e) {
      throw new ToolException(
          "attached to process " + pid + " but could not read its task tree: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolException("interrupted while waiting for process " + pid, e);
    } finally {
      try {
        vm.detach();
      } catch (IOException e) {
        // the target has gone; nothing to release
      }
    }
  }

  /**
   * The thread jasyncio starts with a JVM's first loop to register the MBean (named in {@code
   * io.jasyncio.internal.debug.DebugSupport.WATCHER_NAME}); without it there is nothing to wait
   * for: no loop yet, no jasyncio, or {@code -Djasyncio.jmx=false}.
   */
  static final String WATCHER_THREAD = "jasyncio-mbean";

  /**
   * Whether the MBean is registered, or gets registered within the wait while the target's watcher
   * thread runs (the watcher ends once it has registered, hence the second look).
   */
  private static boolean isOrBecomesRegistered(MBeanServerConnection conn, ObjectName name)
      throws IOException, InterruptedException {
    if (conn.isRegistered(name)) {
      return true;
    }
    if (!hasWatcherThread(conn)) {
      return conn.isRegistered(name);
    }
    return awaitRegistered(conn, name);
  }

  private static boolean hasWatcherThread(MBeanServerConnection conn) throws IOException {
    ThreadMXBean threads =
        ManagementFactory.newPlatformMXBeanProxy(
            conn, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
    for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t != null && WATCHER_THREAD.equals(t.getThreadName())) {
        return true;
      }
    }
    return false;
  }

  private static boolean awaitRegistered(MBeanServerConnection conn, ObjectName name)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + REGISTRATION_WAIT_MILLIS * 1_000_000L;
    while (!conn.isRegistered(name)) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }
}
