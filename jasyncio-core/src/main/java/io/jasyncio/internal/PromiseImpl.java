package io.jasyncio.internal;

import io.jasyncio.CancelledError;
import io.jasyncio.Promise;
import java.util.Objects;

/** A settable future bound to one loop. See {@link FutureImpl} for the state machine. */
public final class PromiseImpl<T> extends FutureImpl<T> implements Promise<T> {
  PromiseImpl(LoopImpl loop) {
    super(loop);
  }

  @Override
  String describe() {
    return "promise";
  }

  @Override
  public void complete(T result) {
    loop.checkThread("complete");
    if (state != PENDING) {
      throw new IllegalStateException("promise is already done");
    }
    finish(RESULT, result);
  }

  @Override
  public void fail(Throwable error) {
    Objects.requireNonNull(error, "error");
    if (error instanceof CancelledError) {
      throw new IllegalArgumentException("fail(CancelledError): use cancel() to cancel a promise");
    }
    loop.checkThread("fail");
    if (state != PENDING) {
      throw new IllegalStateException("promise is already done");
    }
    finish(FAILED, error);
  }

  @Override
  public boolean cancel() {
    loop.checkThread("cancel");
    return cancelFromAwaiter(null);
  }

  @Override
  boolean cancelFromAwaiter(String message) {
    if (state != PENDING) {
      return false;
    }
    finish(CANCELLED, new CancelledError(message != null ? message : "promise was cancelled"));
    return true;
  }

  @Override
  public String toString() {
    String s =
        switch (state) {
          case PENDING -> "pending";
          case RESULT -> "result=" + value;
          case FAILED -> "exception=" + value;
          default -> "cancelled";
        };
    return "Promise[" + s + "]";
  }
}
