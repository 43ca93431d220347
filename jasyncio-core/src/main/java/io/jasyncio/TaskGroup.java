package io.jasyncio;

import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.PromiseImpl;
import io.jasyncio.internal.TaskImpl;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * A scope that owns the tasks spawned into it (asyncio's {@code TaskGroup}, with 3.13's handling of
 * an outside cancellation under failures, rule 3). Use it through {@link Async#taskGroup}: the call
 * does not return before every child has ended.
 *
 * <h2>Rules, each handled where marked in the code</h2>
 *
 * <ol>
 *   <li>The first child failure cancels the other children and the body (the parent task is
 *       cancelled once; that request is withdrawn at exit so the caller is not left cancelled).
 *   <li>All failures, the body's own included, leave together as one {@link ExceptionGroup}.
 *   <li>Cancellation of the parent from outside cancels the children, and comes back out as {@link
 *       CancelledError} once they have ended, unless there are failures, which win; the
 *       cancellation is then not lost but delivered at the parent's next suspension (asyncio 3.13),
 *       so a {@code cancel()} that returned true still ends the task.
 *   <li>A {@link VirtualMachineError} (out of memory, stack overflow) in a child or the body is
 *       rethrown as itself after the children end, as asyncio does with {@code SystemExit}.
 *   <li>Spawning into a group that is finished or shutting down fails.
 * </ol>
 */
public final class TaskGroup {
  private final LoopImpl loop;
  private final TaskImpl<?> parent;
  private final Set<TaskImpl<?>> tasks = new LinkedHashSet<>();
  private final List<Throwable> errors = new ArrayList<>();
  private Throwable baseError;
  private boolean exiting;
  private boolean aborting;
  private boolean finished;
  private boolean parentCancelRequested;
  private PromiseImpl<Void> onCompleted;

  private TaskGroup(TaskImpl<?> parent) {
    this.parent = parent;
    this.loop = (LoopImpl) parent.loop();
  }

  static <R> R run(AsyncFunction<TaskGroup, R> body) {
    Objects.requireNonNull(body, "body");
    TaskGroup g = new TaskGroup(LoopImpl.currentTask("taskGroup"));
    R result = null;
    Throwable bodyError = null;
    try {
      result = body.apply(g);
    } catch (Throwable e) {
      bodyError = e;
    }
    g.exit(bodyError);
    return result;
  }

  /**
   * Spawns a child task. May be called from any task or callback of the group's loop while the
   * group is open.
   *
   * @param body the child's body
   * @param <T> the result type
   * @return the child task
   * @throws IllegalStateException if the group has finished or is shutting down after a failure
   * @throws NullPointerException if {@code body} is null
   */
  public <T> Task<T> spawn(Callable<T> body) {
    return spawnNamed(null, body);
  }

  /**
   * Spawns a named child task.
   *
   * @param name the task's name
   * @param body the child's body
   * @param <T> the result type
   * @return the child task
   * @throws IllegalStateException if the group has finished or is shutting down
   * @throws NullPointerException if an argument is null
   */
  public <T> Task<T> spawn(String name, Callable<T> body) {
    Objects.requireNonNull(name, "name");
    return spawnNamed(name, body);
  }

  /**
   * Spawns a child task that returns nothing.
   *
   * @param body the child's body
   * @return the child task
   * @throws IllegalStateException if the group has finished or is shutting down
   */
  public Task<Void> spawn(AsyncRunnable body) {
    return spawnNamed(null, body);
  }

  /**
   * Spawns an eager child: it runs at once, before this call returns, until it first suspends or
   * ends (as {@link Async#spawnEager(Callable)}), and belongs to the group from the start.
   *
   * @param body the child's body
   * @param <T> the result type
   * @return the child task
   * @throws IllegalStateException if the group has finished or is shutting down
   */
  public <T> Task<T> spawnEager(Callable<T> body) {
    return spawnEagerNamed(null, body);
  }

  /**
   * Spawns a named eager child; see {@link #spawnEager(Callable)}.
   *
   * @param name the task's name
   * @param body the child's body
   * @param <T> the result type
   * @return the child task
   * @throws IllegalStateException if the group has finished or is shutting down
   * @throws NullPointerException if an argument is null
   */
  public <T> Task<T> spawnEager(String name, Callable<T> body) {
    Objects.requireNonNull(name, "name");
    return spawnEagerNamed(name, body);
  }

  private <T> Task<T> spawnEagerNamed(String name, Callable<T> body) {
    Objects.requireNonNull(body, "body");
    checkAccepting("TaskGroup.spawnEager");
    // Registered before it first runs: a child that fails or ends at once is the group's too.
    return loop.spawnEager(name, body, this::register);
  }

  private <T> Task<T> spawnNamed(String name, Object body) {
    Objects.requireNonNull(body, "body");
    checkAccepting("TaskGroup.spawn");
    @SuppressWarnings("unchecked")
    TaskImpl<T> t =
        body instanceof Callable<?> c
            ? loop.spawn(name, (Callable<T>) c, false)
            : (TaskImpl<T>) loop.spawn(name, (AsyncRunnable) body);
    register(t);
    return t;
  }

  private void checkAccepting(String what) {
    loop.checkThread(what);
    if (finished || (exiting && tasks.isEmpty())) {
      throw new IllegalStateException("TaskGroup is finished: it cannot take new tasks");
    }
    if (aborting) {
      throw new IllegalStateException("TaskGroup is shutting down after a failure or cancellation");
    }
  }

  private void register(TaskImpl<?> t) {
    t.owner = this;
    tasks.add(t);
    t.addDoneCallback(x -> onTaskDone(t));
  }

  /** The children still running, in spawn order (for introspection). */
  public List<Task<?>> tasks() {
    return List.copyOf(tasks);
  }

  /** The task that runs the group's body. */
  public Task<?> parentTask() {
    return parent;
  }

  private void abort() {
    aborting = true;
    for (TaskImpl<?> t : tasks) {
      if (!t.isDone()) {
        t.cancel();
      }
    }
  }

  private void onTaskDone(TaskImpl<?> t) {
    tasks.remove(t);
    if (onCompleted != null && tasks.isEmpty() && !onCompleted.isDone()) {
      onCompleted.complete(null);
    }
    if (t.isCancelled()) {
      return;
    }
    Throwable e = t.exception();
    if (e == null) {
      return;
    }
    errors.add(e);
    if (e instanceof VirtualMachineError && baseError == null) {
      baseError = e; // rule 4
    }
    if (parent.isDone()) {
      loop.callExceptionHandler(
          new ExceptionContext("task group child failed after its parent ended", e, t));
      return;
    }
    if (!aborting && !parentCancelRequested) {
      // Rule 1: cancel the siblings, and the body, which may be waiting on something else.
      abort();
      parentCancelRequested = true;
      parent.cancel();
    }
  }

  private void exit(Throwable bodyError) {
    exiting = true;
    if (bodyError instanceof VirtualMachineError && baseError == null) {
      baseError = bodyError;
    }
    Throwable propagateCancel = bodyError instanceof CancelledError ? bodyError : null;
    if (bodyError != null && !aborting) {
      // The body failed, or the parent is being cancelled from outside: stop the children.
      abort();
    }
    while (!tasks.isEmpty()) {
      onCompleted = loop.newPromise();
      try {
        onCompleted.await();
      } catch (CancelledError e) {
        if (!aborting) {
          // Rule 3: the parent was cancelled while waiting for the children.
          propagateCancel = e;
          abort();
        }
      }
      onCompleted = null;
    }
    finished = true;
    if (baseError != null) {
      throw AsyncException.rethrow(baseError);
    }
    if (parentCancelRequested && parent.uncancel() == 0) {
      // Our own request was the only one: the caller is not being cancelled.
      propagateCancel = null;
    }
    if (propagateCancel != null && errors.isEmpty()) {
      throw (CancelledError) propagateCancel;
    }
    if (bodyError != null && !(bodyError instanceof CancelledError)) {
      errors.add(bodyError); // rule 2
    }
    if (!errors.isEmpty()) {
      if (parent.cancelling() > 0) {
        // Rule 3: a cancellation from outside (ours was withdrawn above) stays pending under the
        // failures: withdraw and request it again, so the count is unchanged and the parent's
        // next suspension throws CancelledError.
        parent.uncancel();
        parent.cancel();
      }
      List<Throwable> all = new ArrayList<>(errors);
      errors.clear();
      throw new ExceptionGroup("unhandled errors in a TaskGroup", all);
    }
  }

  @Override
  public String toString() {
    return "TaskGroup[" + tasks.size() + " tasks" + (aborting ? ", aborting" : "") + "]";
  }
}
