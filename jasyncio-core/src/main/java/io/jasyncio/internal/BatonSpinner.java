package io.jasyncio.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Spinning for a loop's baton instead of parking.
 *
 * <p>The unpark of a hand-off usually wakes an idle scheduler thread, and on a virtual machine that
 * wake-up (an inter-processor interrupt) is most of a hop's cost. So a carrier whose task has just
 * suspended and handed the baton on first spins for it briefly ({@link #spinFor}, about 10 µs) and
 * parks only if it does not come back; a hand-off to a carrier that is still spinning needs no
 * unpark at all. Two tasks that wake each other then switch with no thread waking up. Free and idle
 * carriers never spin. The rules that keep this safe and cheap:
 *
 * <ul>
 *   <li>One carrier per loop claims {@link #spinner} by CAS; the claim may be taken over from a
 *       spinner that has already been given the baton. (A take-over can race with that spinner
 *       claiming again for its next wait, so two carriers may briefly spin at once; that costs
 *       time, never correctness.)
 *   <li>{@code LoopImpl.pass} skips the unpark only when {@link #isSpinning} says {@code target}
 *       after writing the baton. The spinner clears its claim by CAS (or fails to, having lost it
 *       to a take-over, which read the baton first) before its last read of the baton, and every
 *       waiter re-reads the baton before it parks. All of these are volatile, so one side sees the
 *       other: no wake-up is lost.
 *   <li>Four failed spins in a row start a backoff, and each further failure doubles it (up to
 *       1,024 chances to spin that are skipped); a successful spin resets both. A program whose
 *       tasks wait long (sleepers, network reads) soon stops spinning. One odd failure (the
 *       partner's thread preempted for a moment) starts nothing: a skipped spin makes the partner
 *       park, and the partner's own next spin then has to outlast a wake-up, so a single failure
 *       used to cascade into parking for good (W2 at 1,100-1,400 ns per hop instead of about 330,
 *       in 3 of 12 runs next to a process waking 100 times a second). The first spin after a
 *       backoff lasts eight times as long, for the same reason.
 *   <li>Two tasks trading the baton keep two scheduler threads busy, so after 256 successful spins
 *       in a row the spinner parks once, giving its thread back to other virtual threads (a {@code
 *       toThread} job, another loop).
 *   <li>No spinning when it cannot pay: in single-carrier mode (the spinner would hold the only
 *       thread), and when the scheduler's threads number less than two per open loop (loops started
 *       and not closed, the JIT priming loop among them; a {@link io.jasyncio.LoopGroup} with a
 *       loop per core never spins). {@code -Djasyncio.spinNanos=0} turns it off.
 *   <li>The heuristic fields ({@code spinSkip}, {@code spinBackoff}, {@code spinStreak}) are
 *       written by whichever carrier spins, not only by the baton holder; a race only changes
 *       whether one more spin happens.
 *   <li>Spinning never runs task code, so "one task at a time" and the order of work are the same
 *       with or without it.
 * </ul>
 */
final class BatonSpinner {
  /** How long a carrier spins for the baton before it parks, at most 1 ms. */
  private static final long SPIN_NANOS =
      Math.min(1_000_000, Long.getLong("jasyncio.spinNanos", 10_000));

  private static final int MAX_SPIN_BACKOFF = 1024;

  /** Failed spins in a row that start the backoff; an odd one (a preempted partner) does not. */
  private static final int FAILURES_BEFORE_BACKOFF = 4;

  /**
   * How much longer than {@link #SPIN_NANOS} the first spin after a backoff lasts: the partner has
   * been parking meanwhile, and its wake-up alone can take longer than a normal spin.
   */
  private static final int PROBE_FACTOR = 8;

  /** Successful spins in a row after which the spinner parks once anyway. */
  private static final int MAX_SPIN_STREAK = 256;

  /** Scheduler threads for virtual threads: the JDK's own default, or what the property says. */
  private static final int SCHEDULER_THREADS =
      Integer.getInteger(
          "jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());

  private static final VarHandle SPINNER;

  static {
    try {
      SPINNER =
          MethodHandles.lookup()
              .findVarHandle(BatonSpinner.class, "spinner", LoopImpl.Carrier.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final LoopImpl loop;

  /** The one carrier of the loop that spins for the baton instead of parking, or null. */
  private volatile LoopImpl.Carrier spinner;

  // Heuristics, written by whichever carrier spins (not only the baton holder): a race can only
  // make one more or one fewer spin happen.
  private int spinSkip;
  private int spinBackoff;
  private int spinStreak;
  private int spinFailures;

  BatonSpinner(LoopImpl loop) {
    this.loop = loop;
  }

  /** Whether {@code c} spins for the baton now (read by a hand-off after it wrote the baton). */
  boolean isSpinning(LoopImpl.Carrier c) {
    return spinner == c;
  }

  /**
   * Spins briefly for the baton (called by {@code me} after its task's hand-off, before it parks).
   * Returns whether the baton came back.
   */
  boolean spinFor(LoopImpl.Carrier me) {
    if (SPIN_NANOS <= 0
        || loop.isSingleCarrier()
        || 2 * LoopRegistry.runningCount() > SCHEDULER_THREADS) {
      return false; // off; one thread anyway; or no spare scheduler thread for every loop
    }
    LoopImpl.Carrier cur = spinner;
    if (cur != null && !loop.holdsBaton(cur)) {
      return false; // another carrier spins and still waits
    }
    if (spinSkip > 0) {
      spinSkip--;
      return false;
    }
    if (++spinStreak > MAX_SPIN_STREAK) {
      spinStreak = 0; // park once: give the scheduler thread back to other virtual threads
      return false;
    }
    if (!SPINNER.compareAndSet(this, cur, me)) {
      return false;
    }
    try {
      long spin = spinBackoff > 0 ? PROBE_FACTOR * SPIN_NANOS : SPIN_NANOS;
      long deadline = 0;
      for (int i = 1; ; i++) {
        if (loop.holdsBaton(me)) {
          spinBackoff = 0;
          spinFailures = 0;
          return true;
        }
        Thread.onSpinWait();
        if ((i & 7) == 0) {
          long now = System.nanoTime();
          if (deadline == 0) {
            deadline = now + spin;
          } else if (now - deadline > 0) {
            break;
          }
        }
      }
      spinStreak = 0;
      if (++spinFailures >= FAILURES_BEFORE_BACKOFF) {
        int b = Math.min(MAX_SPIN_BACKOFF, Math.max(1, spinBackoff * 2));
        spinBackoff = b;
        spinSkip = b;
      }
      return loop.holdsBaton(me);
    } finally {
      SPINNER.compareAndSet(this, me, null);
    }
  }
}
