package io.jasyncio.pipeline;

import io.jasyncio.Async;
import io.jasyncio.AsyncConsumer;
import io.jasyncio.AsyncException;
import io.jasyncio.AsyncFunction;
import io.jasyncio.CancelledError;
import io.jasyncio.ExceptionGroup;
import io.jasyncio.Outcome;
import io.jasyncio.TaskGroup;
import io.jasyncio.internal.CancelHook;
import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.TaskImpl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Bounded-concurrency processing of many items: the way to "process these 100,000 items, 64 at a
 * time".
 *
 * <pre>{@code
 * List<Page> pages = Pipeline.map(urls, 64, url -> fetch(url));   // input order
 * }</pre>
 *
 * <h2>Contract, for every method</h2>
 *
 * <ul>
 *   <li><b>Suspends</b> the calling task until every item has been processed; must be called from a
 *       task.
 *   <li>Each item runs {@code fn} in a task of its own, in a {@link TaskGroup} scoped to the call:
 *       nothing outlives it.
 *   <li>At most {@code concurrency} items are in flight at any time: started and not yet handed to
 *       the caller (for {@code mapUnordered}, an item stays in flight until the sink has taken its
 *       result, so a slow sink slows the source down instead of piling up results).
 *   <li>The source is pulled lazily, by one feeder task of the call only, one item each time a slot
 *       is free: an {@link Iterator} over 100,000 items never has more than {@code concurrency}
 *       item tasks alive, and a source whose {@code hasNext()}/{@code next()} suspend (a channel)
 *       works. While the feeder waits on the source, the calling task still handles every item that
 *       finishes (and a failure) at once. A source that throws fails the call like a failing item
 *       under {@link ErrorPolicy#FAIL_FAST}. The source is never closed: when the call ends early
 *       (a failure, a cancellation) a pending {@code hasNext()}/{@code next()} is cancelled, and a
 *       {@link io.jasyncio.sync.Channel} then keeps the item it had not yet delivered.
 *   <li>Items start in source order.
 *   <li>Errors: {@link ErrorPolicy#FAIL_FAST} (the default) or {@link ErrorPolicy#COLLECT}.
 *   <li>Cancelling the calling task cancels every item in flight; the call throws {@link
 *       CancelledError} once they have ended (if an item had already failed, that failure, and the
 *       cancellation follows at the caller's next suspension, as in a {@link
 *       io.jasyncio.TaskGroup}).
 * </ul>
 *
 * <p>This algorithm is a dispatcher in the calling task, a feeder task that pulls the source, and
 * one task per item, as in the usual asyncio recipe of a semaphore around {@code create_task} (and
 * Trio's {@code CapacityLimiter} over a nursery), but without spawning the whole input at once.
 */
public final class Pipeline {
  private Pipeline() {}

  // ---- map, input order ----

  /**
   * Applies {@code fn} to every item, {@code concurrency} at a time, and returns the results in
   * input order; the first failure cancels the rest and is thrown.
   *
   * @param items the source, pulled lazily
   * @param concurrency the most items in flight, at least 1
   * @param fn the work for one item; may suspend
   * @param <T> the item type
   * @param <R> the result type
   * @return the results, in input order (nulls allowed), unmodifiable
   * @throws IllegalArgumentException if {@code concurrency} is less than 1
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if not called from a task
   * @throws CancelledError if the calling task is cancelled
   */
  public static <T, R> List<R> map(
      Iterable<? extends T> items, int concurrency, AsyncFunction<? super T, ? extends R> fn) {
    return map(iterator(items), concurrency, ErrorPolicy.FAIL_FAST, fn);
  }

  /**
   * {@link #map(Iterable, int, AsyncFunction)} over an iterator.
   *
   * @param items the source
   * @param concurrency the most items in flight
   * @param fn the work for one item
   * @param <T> the item type
   * @param <R> the result type
   * @return the results, in input order
   */
  public static <T, R> List<R> map(
      Iterator<? extends T> items, int concurrency, AsyncFunction<? super T, ? extends R> fn) {
    return map(items, concurrency, ErrorPolicy.FAIL_FAST, fn);
  }

  /**
   * {@link #map(Iterable, int, AsyncFunction)} with a choice of error policy. With {@link
   * ErrorPolicy#COLLECT} every item runs and, if some failed, an {@link ExceptionGroup} of their
   * failures (input order) is thrown.
   *
   * @param items the source
   * @param concurrency the most items in flight
   * @param policy what a failure does
   * @param fn the work for one item
   * @param <T> the item type
   * @param <R> the result type
   * @return the results, in input order
   * @throws ExceptionGroup under {@code COLLECT}, if any item failed
   */
  public static <T, R> List<R> map(
      Iterable<? extends T> items,
      int concurrency,
      ErrorPolicy policy,
      AsyncFunction<? super T, ? extends R> fn) {
    return map(iterator(items), concurrency, policy, fn);
  }

  /**
   * {@link #map(Iterable, int, ErrorPolicy, AsyncFunction)} over an iterator.
   *
   * @param items the source
   * @param concurrency the most items in flight
   * @param policy what a failure does
   * @param fn the work for one item
   * @param <T> the item type
   * @param <R> the result type
   * @return the results, in input order
   */
  public static <T, R> List<R> map(
      Iterator<? extends T> items,
      int concurrency,
      ErrorPolicy policy,
      AsyncFunction<? super T, ? extends R> fn) {
    Objects.requireNonNull(policy, "policy");
    List<R> results = new ArrayList<>();
    List<Indexed> failures = new ArrayList<>();
    new Engine<T, R>(items, concurrency, fn, policy == ErrorPolicy.COLLECT, "Pipeline.map") {
      @Override
      void started(int index) {
        results.add(null);
      }

      @Override
      void finished(int index, Outcome<R> outcome) {
        switch (outcome) {
          case Outcome.Success<R> s -> results.set(index, s.value());
          case Outcome.Failure<R> f -> failures.add(new Indexed(index, f.error()));
        }
      }
    }.run();
    throwCollected(failures, results.size());
    return Collections.unmodifiableList(results);
  }

  /**
   * Runs every item and returns each outcome in input order, failures included ({@link
   * ErrorPolicy#COLLECT} without throwing; asyncio's {@code gather(..., return_exceptions=True)}
   * with a bound). Throws only for the caller's own cancellation or a failing source.
   *
   * @param items the source
   * @param concurrency the most items in flight
   * @param fn the work for one item
   * @param <T> the item type
   * @param <R> the result type
   * @return one outcome per item, in input order, unmodifiable
   */
  public static <T, R> List<Outcome<R>> mapSettled(
      Iterable<? extends T> items, int concurrency, AsyncFunction<? super T, ? extends R> fn) {
    return mapSettled(iterator(items), concurrency, fn);
  }

  /**
   * {@link #mapSettled(Iterable, int, AsyncFunction)} over an iterator.
   *
   * @param items the source
   * @param concurrency the most items in flight
   * @param fn the work for one item
   * @param <T> the item type
   * @param <R> the result type
   * @return one outcome per item, in input order
   */
  public static <T, R> List<Outcome<R>> mapSettled(
      Iterator<? extends T> items, int concurrency, AsyncFunction<? super T, ? extends R> fn) {
    List<Outcome<R>> out = new ArrayList<>();
    new Engine<T, R>(items, concurrency, fn, true, "Pipeline.mapSettled") {
      @Override
      void started(int index) {
        out.add(null);
      }

      @Override
      void finished(int index, Outcome<R> outcome) {
        out.set(index, outcome);
      }
    }.run();
    return Collections.unmodifiableList(out);
  }

  // ---- completion order ----

  /**
   * Applies {@code fn} to every item, {@code concurrency} at a time, and hands each result to
   * {@code sink} in the order they finish. The sink runs in the calling task, one result at a time,
   * and may suspend; the first failure (of {@code fn} or the sink) cancels the rest and is thrown.
   *
   * @param items the source
   * @param concurrency the most items in flight (running, or done and waiting for the sink)
   * @param fn the work for one item
   * @param sink takes each result
   * @param <T> the item type
   * @param <R> the result type
   */
  public static <T, R> void mapUnordered(
      Iterable<? extends T> items,
      int concurrency,
      AsyncFunction<? super T, ? extends R> fn,
      AsyncConsumer<? super R> sink) {
    mapUnordered(iterator(items), concurrency, ErrorPolicy.FAIL_FAST, fn, sink);
  }

  /**
   * {@link #mapUnordered(Iterable, int, AsyncFunction, AsyncConsumer)} over an iterator, with a
   * choice of error policy; under {@link ErrorPolicy#COLLECT} the sink gets the successes only, and
   * the failures of {@code fn} are thrown together at the end (a failing sink still stops
   * everything).
   *
   * @param items the source
   * @param concurrency the most items in flight
   * @param policy what a failure of {@code fn} does
   * @param fn the work for one item
   * @param sink takes each result
   * @param <T> the item type
   * @param <R> the result type
   */
  public static <T, R> void mapUnordered(
      Iterator<? extends T> items,
      int concurrency,
      ErrorPolicy policy,
      AsyncFunction<? super T, ? extends R> fn,
      AsyncConsumer<? super R> sink) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(sink, "sink");
    unordered(items, concurrency, policy, fn, sink, "Pipeline.mapUnordered");
  }

  /** mapUnordered and forEach, {@code what} naming the call in errors. */
  private static <T, R> void unordered(
      Iterator<? extends T> items,
      int concurrency,
      ErrorPolicy policy,
      AsyncFunction<? super T, ? extends R> fn,
      AsyncConsumer<? super R> sink,
      String what) {
    List<Indexed> failures = new ArrayList<>();
    int[] count = new int[1];
    new Engine<T, R>(items, concurrency, fn, policy == ErrorPolicy.COLLECT, what) {
      @Override
      void started(int index) {
        count[0]++;
      }

      @Override
      void finished(int index, Outcome<R> outcome) throws Exception {
        switch (outcome) {
          case Outcome.Success<R> s -> sink.accept(s.value());
          case Outcome.Failure<R> f -> failures.add(new Indexed(index, f.error()));
        }
      }
    }.run();
    throwCollected(failures, count[0]);
  }

  // ---- forEach ----

  /**
   * Runs {@code action} for every item, {@code concurrency} at a time; the first failure cancels
   * the rest and is thrown.
   *
   * @param items the source
   * @param concurrency the most items in flight
   * @param action the work for one item
   * @param <T> the item type
   */
  public static <T> void forEach(
      Iterable<? extends T> items, int concurrency, AsyncConsumer<? super T> action) {
    forEach(iterator(items), concurrency, ErrorPolicy.FAIL_FAST, action);
  }

  /**
   * {@link #forEach(Iterable, int, AsyncConsumer)} over an iterator, with a choice of error policy.
   *
   * @param items the source
   * @param concurrency the most items in flight
   * @param policy what a failure does
   * @param action the work for one item
   * @param <T> the item type
   * @throws ExceptionGroup under {@code COLLECT}, if any item failed
   */
  public static <T> void forEach(
      Iterator<? extends T> items,
      int concurrency,
      ErrorPolicy policy,
      AsyncConsumer<? super T> action) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(action, "action");
    AsyncFunction<T, Void> fn =
        item -> {
          action.accept(item);
          return null;
        };
    unordered(items, concurrency, policy, fn, none -> {}, "Pipeline.forEach");
  }

  // ---- the engine ----

  private record Indexed(int index, Throwable error) {}

  /** How item {@code index} ended. */
  private record Done<R>(int index, Outcome<R> outcome) {}

  private static <T> Iterator<? extends T> iterator(Iterable<? extends T> items) {
    Objects.requireNonNull(items, "items");
    return items instanceof java.util.Collection<? extends T> c
        ? new InMemory<>(c.iterator())
        : items.iterator();
  }

  /**
   * A source whose {@code hasNext}/{@code next} never suspend (a collection's): the calling task
   * pulls it itself, with no feeder task and no task switch per item.
   */
  private record InMemory<T>(Iterator<T> it) implements Iterator<T> {
    @Override
    public boolean hasNext() {
      return it.hasNext();
    }

    @Override
    public T next() {
      return it.next();
    }
  }

  private static void throwCollected(List<Indexed> failures, int total) {
    if (failures.isEmpty()) {
      return;
    }
    List<Indexed> sorted = new ArrayList<>(failures);
    sorted.sort((a, b) -> Integer.compare(a.index, b.index));
    List<Throwable> errors = new ArrayList<>(sorted.size());
    for (Indexed f : sorted) {
      errors.add(f.error);
    }
    throw new ExceptionGroup(
        "pipeline: " + errors.size() + " of " + total + " items failed", errors);
  }

  /**
   * The engine: a driver (the calling task), a feeder (a child task) and one task per item, all on
   * the caller's loop and touching this state only between suspension points, so it needs no locks.
   *
   * <ul>
   *   <li>The <b>feeder</b> is the only reader of the source. It waits for a free slot ({@code
   *       inFlight < concurrency}), pulls one item, counts it in flight and spawns its task, in
   *       source order. At the end of the source, or when the source throws, it records that in
   *       {@code exhausted} / {@code sourceFailure}, wakes the driver and returns. A source that
   *       never suspends (a collection's, {@link InMemory}) gets no feeder task: the driver pulls
   *       it itself whenever a slot is free, which saves a task switch per item.
   *   <li>Each <b>item task</b> runs {@code fn}, appends its {@link Done} to {@code done} and wakes
   *       the driver.
   *   <li>The <b>driver</b> never touches the source: it reacts to whichever comes first, a
   *       finished item or the feeder stopping. It alone calls {@link #finished} and frees slots
   *       (then wakes the feeder), so an item counts as in flight until its outcome has been
   *       handled (a slow sink slows the feeder down).
   * </ul>
   *
   * <p>Invariants: {@code inFlight} = items spawned and not yet handled by the driver, never more
   * than {@code concurrency}; whoever changes what the driver (feeder) waits for wakes it. The call
   * ends normally when the source is exhausted and {@code inFlight == 0} (the feeder has returned);
   * at the first failure the driver throws, and the task group cancels the feeder (its pending
   * {@code hasNext()}/{@code next()}, if any) and the items in flight. Cancelling the caller does
   * the same. The source itself is never closed.
   */
  private abstract static class Engine<T, R> {
    private final Iterator<? extends T> source;
    private final int concurrency;
    private final AsyncFunction<? super T, ? extends R> fn;
    private final boolean collect;
    private final String what;
    private final TaskImpl<?> caller;
    private final ArrayDeque<Done<R>> done = new ArrayDeque<>();
    private final Parked driverWait = new Parked("items to finish");
    private final Parked feederWait = new Parked("a free slot");
    private int inFlight;
    private int nextIndex; // of the next item pulled from the source
    private boolean exhausted;
    private Throwable sourceFailure;
    private Throwable failure;

    Engine(
        Iterator<? extends T> source,
        int concurrency,
        AsyncFunction<? super T, ? extends R> fn,
        boolean collect,
        String what) {
      this.source = Objects.requireNonNull(source, "items");
      this.fn = Objects.requireNonNull(fn, "fn");
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
      }
      this.concurrency = concurrency;
      this.collect = collect;
      this.what = what;
      this.caller = LoopImpl.currentTask(what);
    }

    /** Item {@code index} is about to start; runs in the feeder. */
    abstract void started(int index);

    /** Item {@code index} ended; runs in the calling task; may suspend. */
    abstract void finished(int index, Outcome<R> outcome) throws Exception;

    void run() {
      try {
        Async.taskGroup(this::drive);
      } catch (ExceptionGroup eg) {
        List<Throwable> es = eg.exceptions();
        if (failure != null && es.size() == 1 && es.get(0) == failure) {
          throw AsyncException.rethrow(failure);
        }
        throw eg;
      }
    }

    /** The calling task: handles finished items as they come until the end or a failure. */
    private void drive(TaskGroup g) throws Exception {
      boolean inline = source instanceof InMemory<?>;
      if (!inline) {
        g.spawn(what + " feeder", () -> feed(g));
      }
      for (; ; ) {
        if (inline) {
          while (!exhausted && sourceFailure == null && inFlight < concurrency) {
            pullOne(g, caller);
          }
        }
        if (sourceFailure != null) {
          throw fail(sourceFailure);
        }
        Done<R> d = done.poll();
        if (d != null) {
          if (d.outcome() instanceof Outcome.Failure<R> f && !collect) {
            throw fail(f.error());
          }
          try {
            finished(d.index(), d.outcome());
          } catch (CancelledError e) {
            throw e;
          } catch (Throwable e) {
            throw fail(e);
          }
          inFlight--;
          feederWait.wake();
        } else if (exhausted && inFlight == 0) {
          return;
        } else {
          driverWait.park(caller);
        }
      }
    }

    /** The feeder task: pulls the source one item per free slot and starts each item. */
    private Void feed(TaskGroup g) {
      TaskImpl<?> me = LoopImpl.currentTask(what);
      for (; ; ) {
        while (inFlight >= concurrency) {
          feederWait.park(me);
        }
        if (!pullOne(g, me)) {
          return null;
        }
      }
    }

    /**
     * Pulls one item and starts it (returns true), or records the end of the source or its failure
     * and wakes the driver (returns false). Runs in the feeder, or in the driver for an {@link
     * InMemory} source.
     */
    private boolean pullOne(TaskGroup g, TaskImpl<?> me) {
      boolean more;
      T item;
      try {
        more = source.hasNext();
        item = more ? source.next() : null;
      } catch (Throwable e) {
        if (e instanceof CancelledError && me.cancelling() > 0) {
          throw e; // the puller was cancelled: the call is ending anyway
        }
        sourceFailure = e; // a CancelledError here: the source awaited something cancelled
        driverWait.wake();
        return false;
      }
      if (!more) {
        exhausted = true;
        driverWait.wake();
        return false;
      }
      int index = nextIndex++;
      started(index);
      inFlight++;
      g.spawn(() -> runItem(index, item));
      return true;
    }

    /** Records the failure that ends the call and returns it in a throwable shape. */
    private Exception fail(Throwable e) {
      failure = e;
      if (e instanceof Exception x) {
        return x;
      }
      if (e instanceof Error err) {
        throw err;
      }
      return new AsyncException(e.toString(), e);
    }

    private Void runItem(int index, T item) {
      Outcome<R> outcome;
      try {
        outcome = new Outcome.Success<>(fn.apply(item));
      } catch (CancelledError e) {
        TaskImpl<?> me = LoopImpl.currentTaskOrNull();
        if (me == null || me.cancelling() > 0) {
          throw e; // this item was cancelled: not a failure of fn
        }
        outcome = new Outcome.Failure<>(e); // fn awaited something that was cancelled
      } catch (Throwable e) {
        outcome = new Outcome.Failure<>(e);
      }
      done.add(new Done<>(index, outcome));
      driverWait.wake();
      return null;
    }

    /** One task at a time parked until another wakes it; cancelling it resumes it at once. */
    private final class Parked implements CancelHook {
      private final String awaiting;
      private TaskImpl<?> task; // the task parked here, if any

      Parked(String awaiting) {
        this.awaiting = awaiting;
      }

      /** Suspends {@code t} (the calling task) until {@link #wake}. */
      void park(TaskImpl<?> t) {
        task = t;
        try {
          t.suspend(this);
        } finally {
          task = null;
        }
      }

      void wake() {
        TaskImpl<?> t = task;
        if (t != null) {
          task = null;
          t.resume(null);
        }
      }

      @Override
      public boolean cancelWait(TaskImpl<?> t) {
        task = null;
        return t.resume(TaskImpl.WAKE_CANCELLED);
      }

      @Override
      public String toString() {
        return what + ": waiting for " + awaiting + " (" + inFlight + " in flight)";
      }
    }
  }
}
