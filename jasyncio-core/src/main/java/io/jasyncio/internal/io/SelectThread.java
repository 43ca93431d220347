package io.jasyncio.internal.io;

import java.io.IOException;
import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The platform thread on which a loop's {@link Poller} blocks in {@link Selector#select}, so that
 * the waiting carrier (a virtual thread) simply parks.
 *
 * <h2>Why</h2>
 *
 * A virtual thread that blocks in {@code select} does not block in {@code epoll_wait}: the JDK
 * registers the selector's descriptor with its own I/O pollers and parks the thread. Waking it then
 * takes the JDK's master poller thread, one of its poller virtual threads (run on a carrier, which
 * re-arms the registration with an {@code epoll_ctl}), and then our carrier; here it takes this
 * thread and our carrier. And those pollers assume virtual threads of the default scheduler: a
 * single-carrier loop's carriers run on a scheduler of ours (ADR 0003) and could stall there.
 *
 * <p>Both carrier modes use it. Measured on W4 echo (ADR 0003's update has the runs): neutral to
 * better than selecting on the carrier, with one loop and with a two-loop group, depending on how
 * the kernel groups server and load generator for scheduling.
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>The selector is used by one side at a time. The baton holder calls {@link #select} and
 *       parks until this thread has returned from {@code Selector.select} and published the result
 *       (the volatile {@code done}); only then does it read the selected keys. While a select runs
 *       the holder touches neither keys nor interest sets, because it is parked and no other thread
 *       of the loop runs. {@link Selector#wakeup()} from any thread is the one concurrent call, and
 *       the selector allows it.
 *   <li>A request is a write of {@code request} then an unpark; this thread takes it with a
 *       compare-and-set before selecting, so an unpark that comes early or twice never loses or
 *       repeats a select, and a {@code STOP} is never overwritten. A spurious unpark of the waiting
 *       carrier is absorbed by its {@code while (!done)} loop; an interrupt is kept for after the
 *       wait (a carrier's task may have interrupted itself).
 *   <li>While a caller waits, {@code selecting} is set (from before the request until it has the
 *       result), so a waker may end the wait with {@link Selector#wakeup()} alone: a wake-up that
 *       comes before the select makes it return at once.
 *   <li>The thread starts with the first blocking select (a loop that never idles with channels
 *       registered never starts it) and has ended when {@link #stop} returns, which the loop's
 *       close calls once its carriers have ended (or its crash handling). {@code stop} also wakes a
 *       select still running, and gives the thread a second to see {@code STOP}. It is a daemon.
 * </ul>
 */
final class SelectThread implements Runnable {
  private static final long NONE = -1;
  private static final long STOP = -2;

  private final Selector selector;
  private final Thread thread;

  /** Milliseconds to select for (0: until woken), {@link #NONE} or {@link #STOP}. */
  private final AtomicLong request = new AtomicLong(NONE);

  private volatile boolean done;

  /** True from the start of {@link #select} until its caller has the result. */
  private volatile boolean selecting;

  private volatile Thread waiter;
  private int selected;
  private Throwable failure;

  SelectThread(Selector selector, String name) {
    this.selector = selector;
    this.thread =
        Thread.ofPlatform()
            .daemon(true)
            .name(name)
            .inheritInheritableThreadLocals(false) // it lives as long as the loop
            .unstarted(this);
    thread.start();
  }

  /**
   * Blocks the calling thread (parks it, if virtual) while this thread selects.
   *
   * @param millis how long to wait at most, 0 for no limit
   * @return the number of keys selected
   * @throws IOException what {@code select} threw
   */
  int select(long millis) throws IOException {
    waiter = Thread.currentThread();
    done = false;
    selecting = true;
    request.set(millis);
    LockSupport.unpark(thread);
    boolean interrupted = false;
    while (!done) {
      LockSupport.park(this);
      interrupted |= Thread.interrupted(); // else park would return at once until the select ends
    }
    selecting = false;
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable f = failure;
    if (f == null) {
      return selected;
    }
    failure = null;
    if (f instanceof IOException io) {
      throw io;
    }
    if (f instanceof RuntimeException r) {
      throw r; // ClosedSelectorException
    }
    throw (Error) f;
  }

  /**
   * Whether a caller is waiting in {@link #select} (or about to): then {@link Selector#wakeup()}
   * alone ends its wait, since this thread unparks it when the select returns.
   */
  boolean isSelecting() {
    return selecting;
  }

  /**
   * Ends the thread and waits (up to a second) until it has: after a loop's close no thread of it
   * is left. Called when the loop closes (on the closing thread, once the carriers have ended) or
   * crashes; a select still running (a holder that crashed while it waited) is woken.
   */
  void stop() {
    request.set(STOP);
    selector.wakeup();
    LockSupport.unpark(thread);
    boolean interrupted = Thread.interrupted(); // a task may have interrupted this carrier
    try {
      thread.join(java.time.Duration.ofSeconds(1)); // it only has to see STOP and return
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void run() {
    for (; ; ) {
      long r = request.get();
      if (r == NONE) {
        LockSupport.park(this);
        continue;
      }
      if (r == STOP) {
        return;
      }
      if (!request.compareAndSet(r, NONE)) {
        continue; // a STOP came in between: never overwrite it
      }
      try {
        selected = r == 0 ? selector.select() : selector.select(r);
      } catch (IOException | RuntimeException | Error e) {
        failure = e;
      }
      done = true; // publishes selected, failure and the selector's keys to the waiter
      LockSupport.unpark(waiter);
    }
  }
}
