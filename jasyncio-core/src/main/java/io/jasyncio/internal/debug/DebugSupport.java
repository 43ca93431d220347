package io.jasyncio.internal.debug;

import io.jasyncio.debug.DebugMode;
import io.jasyncio.debug.TaskTreeMXBean;
import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.LoopObserver;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

/**
 * Wires the debugging tools to every loop: a {@link LoopMonitor} observer per loop (debug mode's
 * slow steps and close report, flight recorder events) and, once per JVM, the {@code
 * io.jasyncio:type=TaskTree} MBean that {@code jasyncio ps PID} reads.
 *
 * <p>The MBean goes on the platform MBean server, but jasyncio never starts that server itself:
 * starting it loads some 600 classes and costs 150-250 ms of CPU, which a program that nobody
 * inspects should not pay (it used to, on a background thread, and it slowed every short program's
 * warm-up by a fifth). Instead a daemon thread ({@value #WATCHER_NAME}, not started with {@code
 * -Djasyncio.jmx=false}) looks for the server ten times a second for ten seconds and once a second
 * after that, a cheap check ({@link MBeanServerFactory#findMBeanServer}), and registers the MBean
 * as soon as anyone starts it: the local management agent that {@code jasyncio ps} starts through
 * the Attach API, JConsole, Mission Control, or the program's own {@link
 * ManagementFactory#getPlatformMBeanServer()}. The tool waits for the registration if the target
 * has that thread, and says at once that there is no loop if it has not.
 */
public final class DebugSupport {
  private static final System.Logger LOG = System.getLogger("io.jasyncio");

  /** Set {@code -Djasyncio.jmx=false} to keep jasyncio from registering its MBean. */
  static final String JMX_PROPERTY = "jasyncio.jmx";

  private static final AtomicBoolean MBEAN_STARTED = new AtomicBoolean();

  /** Completed once the MBean is registered (or registration was skipped or failed). */
  private static final CompletableFuture<Void> MBEAN = new CompletableFuture<>();

  /**
   * Monitors by loop; the monitor is held strongly by its loop's observer field, so the weak value
   * lives exactly as long as the loop.
   */
  private static final Map<LoopImpl, WeakReference<LoopMonitor>> MONITORS = new WeakHashMap<>();

  private DebugSupport() {}

  /** Called by {@code LoopRegistry.register} from the loop's constructor. */
  public static void loopCreated(LoopImpl loop) {
    LoopMonitor m = new LoopMonitor(loop, defaultThresholdNanos());
    synchronized (MONITORS) {
      MONITORS.put(loop, new WeakReference<>(m));
    }
    loop.observer = LoopObserver.compose(loop.observer, m);
    if (!MBEAN_STARTED.get() && MBEAN_STARTED.compareAndSet(false, true)) {
      if ("false".equalsIgnoreCase(System.getProperty(JMX_PROPERTY))) {
        MBEAN.complete(null);
      } else {
        Thread.ofPlatform()
            .name(WATCHER_NAME)
            .daemon(true)
            .inheritInheritableThreadLocals(false)
            .start(DebugSupport::watchForServer);
      }
    }
  }

  /**
   * Completes when the TaskTree MBean is registered (once something has started the platform MBean
   * server), or registration is off or failed.
   */
  public static CompletableFuture<Void> mbeanRegistration() {
    return MBEAN;
  }

  /** The monitor of {@code loop}. */
  public static LoopMonitor monitor(LoopImpl loop) {
    synchronized (MONITORS) {
      WeakReference<LoopMonitor> r = MONITORS.get(loop);
      LoopMonitor m = r == null ? null : r.get();
      if (m == null) {
        throw new IllegalStateException("no monitor for " + loop);
      }
      return m;
    }
  }

  /** A snapshot of the monitors of live loops. */
  static List<LoopMonitor> monitors() {
    List<LoopMonitor> out = new ArrayList<>();
    synchronized (MONITORS) {
      for (WeakReference<LoopMonitor> r : MONITORS.values()) {
        LoopMonitor m = r.get();
        if (m != null) {
          out.add(m);
        }
      }
    }
    return out;
  }

  /** {@code -Djasyncio.slowStepMillis} if positive, else 100 ms. */
  public static long defaultThresholdNanos() {
    String p = System.getProperty(DebugMode.SLOW_STEP_PROPERTY);
    if (p != null) {
      try {
        long ms = Long.parseLong(p.trim());
        if (ms > 0) {
          return ms > Long.MAX_VALUE / 1_000_000L ? Long.MAX_VALUE : ms * 1_000_000L;
        }
      } catch (NumberFormatException e) {
        // fall through to the default
      }
      LOG.log(
          System.Logger.Level.WARNING,
          "ignoring -D" + DebugMode.SLOW_STEP_PROPERTY + "=" + p + ": not a positive integer");
    }
    return DebugMode.DEFAULT_SLOW_STEP_THRESHOLD.toNanos();
  }

  /** The watcher thread's name ({@code jasyncio ps} looks for it before it waits). */
  public static final String WATCHER_NAME = "jasyncio-mbean";

  /**
   * How often the watcher looks for the platform MBean server: ten times a second for its first ten
   * seconds, then once a second (a tool waits up to 3 s for the MBean).
   */
  static final long WATCH_INTERVAL_MILLIS = 100;

  static final long SLOW_WATCH_INTERVAL_MILLIS = 1_000;
  static final long FAST_WATCH_MILLIS = 10_000;

  private static void watchForServer() {
    // A JVM-long thread: it keeps no class loader of whichever thread made the first loop.
    Thread.currentThread().setContextClassLoader(DebugSupport.class.getClassLoader());
    try {
      ObjectName runtimeBean = objectName(ManagementFactory.RUNTIME_MXBEAN_NAME);
      long start = System.nanoTime();
      while (!platformServerStarted(runtimeBean)) {
        boolean fast = System.nanoTime() - start < FAST_WATCH_MILLIS * 1_000_000L;
        Thread.sleep(fast ? WATCH_INTERVAL_MILLIS : SLOW_WATCH_INTERVAL_MILLIS);
      }
      registerMBean();
    } catch (InterruptedException e) {
      // a daemon thread nobody interrupts; if someone does, stop watching
      MBEAN.complete(null);
    } catch (RuntimeException | LinkageError e) {
      LOG.log(System.Logger.Level.DEBUG, "stopped watching for the platform MBean server", e);
      MBEAN.complete(null);
    }
  }

  /**
   * Whether the platform MBean server exists, without creating it: it is one of the servers made by
   * {@link MBeanServerFactory#createMBeanServer()}, and the only one that holds the JVM's own
   * {@code java.lang:type=Runtime} bean unless a program registers that name in a server of its own
   * (then we start the platform server a little early, which is harmless).
   */
  private static boolean platformServerStarted(ObjectName runtimeBean) {
    for (MBeanServer s : MBeanServerFactory.findMBeanServer(null)) {
      try {
        if (s.isRegistered(runtimeBean)) {
          return true;
        }
      } catch (RuntimeException e) {
        // a program's own server that misbehaves: not the platform one; look at the others
      }
    }
    return false;
  }

  private static ObjectName objectName(String name) {
    try {
      return new ObjectName(name);
    } catch (javax.management.MalformedObjectNameException e) {
      throw new AssertionError(name, e);
    }
  }

  private static void registerMBean() {
    try {
      ManagementFactory.getPlatformMBeanServer()
          .registerMBean(new TaskTreeBean(), objectName(TaskTreeMXBean.OBJECT_NAME));
    } catch (javax.management.InstanceAlreadyExistsException e) {
      // another copy of jasyncio (another class loader) registered first; it sees its own loops
    } catch (Exception | LinkageError e) {
      LOG.log(System.Logger.Level.DEBUG, "could not register the jasyncio TaskTree MBean", e);
    } finally {
      MBEAN.complete(null);
    }
  }
}
