package io.jasyncio.debug;

import io.jasyncio.EventLoop;
import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.debug.DebugSupport;
import java.time.Duration;
import java.util.Objects;

/**
 * Options of debug mode beyond the on/off switch.
 *
 * <p>Debug mode is switched on per loop by {@code Runner.builder().debug(true)} or {@link
 * EventLoop#setDebug}, and for every loop a {@code Runner} creates by the system property {@code
 * jasyncio.debug=true} or the environment variable {@code JASYNCIO_DEBUG=1}. In debug mode:
 *
 * <ul>
 *   <li>a task step that runs longer than the slow-step threshold without suspending is logged at
 *       WARNING, with the stack where it is blocking, sampled while it blocks;
 *   <li>a task that catches {@code CancelledError} and returns normally is reported to the loop's
 *       exception handler;
 *   <li>a failure nobody retrieved is reported with where its task was spawned (a suppressed
 *       exception named "task '...' spawned here");
 *   <li>a loop closed with tasks still pending logs which, and where each one waits, before it
 *       cancels them.
 * </ul>
 *
 * Messages go to the {@link System.Logger} named {@code io.jasyncio}, which reaches {@code
 * java.util.logging} by default and SLF4J or Log4j through their {@code System.LoggerFinder}
 * bridges.
 */
public final class DebugMode {
  /** The slow-step threshold unless configured otherwise: 100 ms. */
  public static final Duration DEFAULT_SLOW_STEP_THRESHOLD = Duration.ofMillis(100);

  /** The system property that sets the slow-step threshold of new loops, in milliseconds. */
  public static final String SLOW_STEP_PROPERTY = "jasyncio.slowStepMillis";

  private DebugMode() {}

  /**
   * The threshold new loops start with: {@code -Djasyncio.slowStepMillis=N} if set to a positive
   * number, else {@link #DEFAULT_SLOW_STEP_THRESHOLD}.
   *
   * @return the default threshold
   */
  public static Duration defaultSlowStepThreshold() {
    return Duration.ofNanos(DebugSupport.defaultThresholdNanos());
  }

  /**
   * How long a step of a task of {@code loop} may run without suspending before debug mode logs it.
   * Thread-safe.
   *
   * @param loop the loop
   * @return its threshold
   * @throws NullPointerException if {@code loop} is null
   */
  public static Duration slowStepThreshold(EventLoop loop) {
    Objects.requireNonNull(loop, "loop");
    return Duration.ofNanos(DebugSupport.monitor((LoopImpl) loop).thresholdNanos());
  }

  /**
   * Sets the slow-step threshold of {@code loop}. It also decides which steps become {@code
   * io.jasyncio.SlowStep} flight recorder events. Thread-safe.
   *
   * @param loop the loop
   * @param threshold a positive duration
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code threshold} is zero or negative
   */
  public static void setSlowStepThreshold(EventLoop loop, Duration threshold) {
    Objects.requireNonNull(loop, "loop");
    Objects.requireNonNull(threshold, "threshold");
    if (threshold.isZero() || threshold.isNegative()) {
      throw new IllegalArgumentException("threshold must be positive: " + threshold);
    }
    DebugSupport.monitor((LoopImpl) loop).setThresholdNanos(LoopImpl.saturatedNanos(threshold));
  }
}
