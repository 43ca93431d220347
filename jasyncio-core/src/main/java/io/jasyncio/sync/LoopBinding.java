package io.jasyncio.sync;

import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.TaskImpl;

/**
 * Binds a primitive to the event loop of the first task or callback that uses it; later use from
 * another loop fails with both loops named. Loop-bound objects need no locking: only the bound
 * loop's baton holder ever touches them (DESIGN.md, contract 1).
 */
final class LoopBinding {
  private final String kind;
  private LoopImpl loop;

  LoopBinding(String kind) {
    this.kind = kind;
  }

  /** The current task, for a suspending call; binds on first use. */
  TaskImpl<?> task(String op) {
    TaskImpl<?> t = LoopImpl.currentTask(kind, op);
    bind((LoopImpl) t.loop(), op);
    return t;
  }

  /** Checks that the caller is on a loop's thread (task or callback); binds on first use. */
  void check(String op) {
    LoopImpl cur = LoopImpl.currentOrNull();
    if (cur == null || !cur.inLoopThread()) {
      throw new IllegalStateException(
          kind
              + "."
              + op
              + " must be called on an event loop's thread (from a task or callback), but "
              + Thread.currentThread()
              + " runs no loop; from other threads use EventLoop.callSoonThreadsafe(...) or"
              + " EventLoop.submit(...)");
    }
    bind(cur, op);
  }

  private void bind(LoopImpl cur, String op) {
    LoopImpl l = loop;
    if (l == cur) {
      return;
    }
    if (l == null) {
      loop = cur;
      return;
    }
    throw new IllegalStateException(
        kind
            + "."
            + op
            + ": this "
            + kind
            + " is bound to "
            + l
            + " (the loop that first used it) but was used from "
            + cur
            + "; a "
            + kind
            + " may be used only by its own loop's tasks. To cross loops use EventLoop.submit(...)"
            + " and Async.await(...)");
  }
}
