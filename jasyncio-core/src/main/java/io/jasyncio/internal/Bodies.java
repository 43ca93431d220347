package io.jasyncio.internal;

import io.jasyncio.AsyncRunnable;
import java.util.concurrent.Callable;

/** Adapters between the kinds of task body, for the entry points that take only one kind. */
public final class Bodies {
  private Bodies() {}

  /**
   * {@code body} as a {@link Callable} that runs it and returns null (a main task that returns
   * nothing, for {@link LoopImpl#runUntilComplete}).
   */
  public static Callable<Void> callable(AsyncRunnable body) {
    return () -> {
      body.run();
      return null;
    };
  }
}
