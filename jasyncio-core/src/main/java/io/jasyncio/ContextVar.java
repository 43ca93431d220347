package io.jasyncio;

import io.jasyncio.internal.ContextMap;
import io.jasyncio.internal.LoopImpl;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A context variable (Python's {@code contextvars.ContextVar}): a value that belongs to the running
 * task rather than to a thread, and that tasks inherit from the code that spawned them.
 *
 * <pre>{@code
 * static final ContextVar<String> REQUEST_ID = ContextVar.newInstance("requestId");
 *
 * var token = REQUEST_ID.set("r-42");
 * try {
 *   Async.spawn(() -> log(REQUEST_ID.get()));   // the child sees "r-42"
 * } finally {
 *   REQUEST_ID.reset(token);
 * }
 * }</pre>
 *
 * <h2>Which context</h2>
 *
 * <ul>
 *   <li>In a <b>task</b>: the task's own context. A spawned task starts with a copy of its
 *       spawner's context as it is at the spawn; later {@code set} calls in either task are not
 *       seen by the other.
 *   <li>In a loop <b>callback</b>: the context captured when the callback was scheduled ({@code
 *       callSoon}, {@code callLater}; {@code callSoonThreadsafe} and {@code submit} capture the
 *       calling thread's). A {@code set} in a callback lasts until the callback returns.
 *   <li>In {@link Threads#toThread} work: a copy of the awaiting task's context, discarded when the
 *       work returns.
 *   <li>On any other thread: a per-thread context, the fallback. A loop started from that thread
 *       ({@link Async#run}, {@link Runner#run}) gives its main task a copy of it.
 * </ul>
 *
 * <p>Nothing here suspends. A context is immutable underneath, so the copy at spawn costs nothing;
 * see {@code docs/adr/0002-context-variables.md} for why this is not built on {@link ScopedValue}.
 *
 * <p>Values are never {@code null}: a variable is either bound to a value or not bound.
 *
 * @param <T> the value type
 */
public final class ContextVar<T> {
  private static final Object MISSING = new Object();

  private final String name;
  private final T defaultValue;

  private ContextVar(String name, T defaultValue) {
    this.name = name;
    this.defaultValue = defaultValue;
  }

  /**
   * A variable with no default: {@link #get()} throws until it is set.
   *
   * @param name a name for messages and debugging
   * @param <T> the value type
   * @return the variable
   * @throws NullPointerException if {@code name} is null
   */
  public static <T> ContextVar<T> newInstance(String name) {
    return new ContextVar<>(Objects.requireNonNull(name, "name"), null);
  }

  /**
   * A variable whose {@link #get()} returns {@code defaultValue} where it was never set.
   *
   * @param name a name for messages and debugging
   * @param defaultValue the default
   * @param <T> the value type
   * @return the variable
   * @throws NullPointerException if an argument is null
   */
  public static <T> ContextVar<T> newInstance(String name, T defaultValue) {
    return new ContextVar<>(
        Objects.requireNonNull(name, "name"), Objects.requireNonNull(defaultValue, "defaultValue"));
  }

  /** The variable's name. */
  public String name() {
    return name;
  }

  /**
   * The value in the current context, else the variable's default.
   *
   * @return the value
   * @throws NoSuchElementException if the variable is not set and has no default (Python's {@code
   *     LookupError})
   */
  public T get() {
    Object v = ContextMap.ofCallingThread().get(this, MISSING);
    if (v != MISSING) {
      return cast(v);
    }
    if (defaultValue != null) {
      return defaultValue;
    }
    throw new NoSuchElementException(
        "context variable '" + name + "' is not set in this context and has no default");
  }

  /**
   * The value in the current context, else {@code orElse} (the variable's own default is not used,
   * as in Python's {@code get(default)}).
   *
   * @param orElse returned when the variable is not set; may be {@code null}
   * @return the value or {@code orElse}
   */
  public T get(T orElse) {
    Object v = ContextMap.ofCallingThread().get(this, MISSING);
    return v != MISSING ? cast(v) : orElse;
  }

  /** Whether the variable is set in the current context (its default does not count). */
  public boolean isSet() {
    return ContextMap.ofCallingThread().get(this, MISSING) != MISSING;
  }

  /**
   * Sets the variable in the current context. Tasks spawned afterwards see the new value; tasks
   * spawned before do not. Does not suspend.
   *
   * @param value the new value
   * @return a token that {@link #reset} takes to restore the previous value
   * @throws NullPointerException if {@code value} is null
   */
  public Token<T> set(T value) {
    Objects.requireNonNull(value, "value");
    LoopImpl loop = LoopImpl.currentOrNull();
    if (loop != null) {
      ContextMap m = loop.currentContext();
      loop.setCurrentContext(m.with(this, value));
      return new Token<>(this, m.get(this, MISSING), loop.currentContextOwner());
    }
    ContextMap.ThreadContext tc = ContextMap.threadContext();
    Object old = tc.map.get(this, MISSING);
    tc.map = tc.map.with(this, value);
    return new Token<>(this, old, tc);
  }

  /**
   * Restores the value the variable had before the {@link #set} that returned {@code token} (unset,
   * if it was unset). Does not suspend.
   *
   * @param token from {@link #set} on this variable, in this same context
   * @throws NullPointerException if {@code token} is null
   * @throws IllegalArgumentException if the token belongs to another variable or was created in
   *     another context (another task, callback or thread)
   * @throws IllegalStateException if the token was already used
   */
  public void reset(Token<T> token) {
    Objects.requireNonNull(token, "token");
    if (token.var != this) {
      throw new IllegalArgumentException(
          "token was created by context variable '" + token.var.name + "', not by '" + name + "'");
    }
    if (token.used) {
      throw new IllegalStateException(
          "token of context variable '" + name + "' has already been used once");
    }
    LoopImpl loop = LoopImpl.currentOrNull();
    Object owner = loop != null ? loop.currentContextOwner() : ContextMap.threadContext();
    if (owner != token.owner) {
      throw new IllegalArgumentException(
          "token of context variable '"
              + name
              + "' was created in a different context (another task, callback or thread)");
    }
    token.used = true;
    if (loop != null) {
      loop.setCurrentContext(restore(loop.currentContext(), token.oldValue));
    } else {
      ContextMap.ThreadContext tc = (ContextMap.ThreadContext) owner;
      tc.map = restore(tc.map, token.oldValue);
    }
  }

  private ContextMap restore(ContextMap m, Object old) {
    return old == MISSING ? m.without(this) : m.with(this, old);
  }

  @SuppressWarnings("unchecked")
  private T cast(Object v) {
    return (T) v; // only this variable's set() stores under this key
  }

  @Override
  public String toString() {
    return "ContextVar[" + name + "]";
  }

  /**
   * What {@link ContextVar#set} returns: the way back to the previous value, usable once, in the
   * context that created it (Python's {@code contextvars.Token}).
   *
   * @param <T> the value type
   */
  public static final class Token<T> {
    private final ContextVar<T> var;
    private final Object oldValue;
    private final Object owner;
    private boolean used;

    private Token(ContextVar<T> var, Object oldValue, Object owner) {
      this.var = var;
      this.oldValue = oldValue;
      this.owner = owner;
    }

    /** The variable that created this token. */
    public ContextVar<T> var() {
      return var;
    }

    /** Whether the variable was set before, that is whether {@link #oldValue()} has a value. */
    public boolean hadValue() {
      return oldValue != MISSING;
    }

    /**
     * The value before the {@code set}.
     *
     * @return the old value
     * @throws NoSuchElementException if the variable was not set ({@link #hadValue()} is false)
     */
    public T oldValue() {
      if (oldValue == MISSING) {
        throw new NoSuchElementException(
            "context variable '" + var.name + "' was not set before this token's set()");
      }
      return var.cast(oldValue);
    }

    @Override
    public String toString() {
      return "Token[" + var.name + (used ? ", used" : "") + "]";
    }
  }
}
