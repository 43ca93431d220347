package io.jasyncio.internal.io;

import io.jasyncio.internal.LoopImpl;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What {@link PipeSource} and {@link PipeSink} share: a pump thread that moves bytes between a
 * blocking stream and a loop, handing its news to the loop with {@link
 * LoopImpl#callSoonThreadsafe}.
 *
 * <p>The pump and the loop share only what the subclass keeps under {@link #lock}, {@link
 * #released} among it. The pump ends when {@link #pump()} returns or fails; a failure that was not
 * caused by a release goes to the loop's {@link #onFailure}; the stream is closed on every path.
 */
abstract class Pump {
  final LoopImpl loop;
  final String name;

  /** Guards {@link #released} and the subclass's shared state. */
  final ReentrantLock lock = new ReentrantLock();

  /** Set once the loop side gave the stream up; the pump then ends. Under {@link #lock}. */
  boolean released;

  private Thread thread;

  /**
   * Registered with the loop, so that its close releases a pump nobody released, and gives a pump
   * that is inside a read or write a moment to come back and close its pipe (the kill of the child
   * makes it return at once, unless a grandchild holds the pipe). Loop close runs off the loop.
   */
  private final Runnable onLoopClose =
      () -> {
        release();
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
          try {
            t.join(java.time.Duration.ofMillis(100));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };

  Pump(LoopImpl loop, String name) {
    this.loop = loop;
    this.name = name;
  }

  /**
   * Starts the pump thread; the subclass calls it last in its constructor.
   *
   * <p>A platform daemon thread with a small stack, not a virtual thread: a pipe read or write
   * blocks in the kernel for as long as the child is silent, and every virtual thread blocked so
   * holds a carrier of the JDK's shared scheduler (and borrows a spare one, up to 256). A few
   * hundred quiet children would then starve every virtual thread of the JVM, this runtime's loops
   * among them.
   */
  final void start() {
    loop.addCloser(onLoopClose);
    thread =
        Thread.ofPlatform()
            .daemon(true)
            .stackSize(STACK_SIZE)
            .name("jasyncio-pump " + name)
            .start(this::run);
  }

  private static final long STACK_SIZE = 256 * 1024;

  /**
   * Gives the stream up: the pump ends (at once if it waits for work or credit, else after its read
   * or write returns) and the stream is closed. Any thread, idempotent.
   */
  public abstract void release();

  /** The pump thread. */
  final Thread thread() {
    return thread;
  }

  private void run() {
    try {
      pump();
    } catch (InterruptedException e) {
      // nobody interrupts pumps; end quietly
    } catch (Throwable e) {
      if (!isReleased()) {
        IOException io = e instanceof IOException x ? x : new IOException(e.toString(), e);
        post(() -> onFailure(io)); // a reader or writer waiting on the loop must hear of it
      }
      if (e instanceof Error err) {
        throw err;
      }
    } finally {
      closeStream();
      loop.removeCloser(onLoopClose);
    }
  }

  /** The pump's work, on its thread; returns at end of stream or once released. */
  abstract void pump() throws IOException, InterruptedException;

  /** On the loop: the pump failed. */
  abstract void onFailure(IOException e);

  /** Closes the stream; any thread, idempotent, never throws. */
  abstract void closeStream();

  final boolean isReleased() {
    lock.lock();
    try {
      return released;
    } finally {
      lock.unlock();
    }
  }

  /** Hands {@code r} to the loop; false if the loop is closed (the pump then ends). */
  final boolean post(Runnable r) {
    try {
      loop.callSoonThreadsafe(r);
      return true;
    } catch (IllegalStateException loopClosed) {
      return false;
    }
  }
}
