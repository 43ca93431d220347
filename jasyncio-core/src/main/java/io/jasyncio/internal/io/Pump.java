package io.jasyncio.internal.io;

import io.jasyncio.internal.LoopImpl;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What {@link PipeSource} and {@link PipeSink} share: a pump on a virtual thread that moves bytes
 * between a blocking stream and a loop, handing its news to the loop with {@link
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

  Pump(LoopImpl loop, String name) {
    this.loop = loop;
    this.name = name;
  }

  /** Starts the pump thread; the subclass calls it last in its constructor. */
  final void start() {
    thread = Thread.ofVirtual().name("jasyncio-pump " + name).start(this::run);
  }

  /** The pump thread. */
  final Thread thread() {
    return thread;
  }

  private void run() {
    try {
      pump();
    } catch (IOException | RuntimeException e) {
      if (!isReleased()) {
        IOException io = e instanceof IOException x ? x : new IOException(e.toString(), e);
        post(() -> onFailure(io));
      }
    } catch (InterruptedException e) {
      // nobody interrupts pumps; end quietly
    } finally {
      closeStream();
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
