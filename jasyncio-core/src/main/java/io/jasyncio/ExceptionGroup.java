package io.jasyncio;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Several exceptions raised together, by the children of a {@link TaskGroup} and its body
 * (Python's {@code ExceptionGroup}). Groups may nest. The sub-exceptions are also attached as
 * {@linkplain #getSuppressed() suppressed} so a printed stack trace shows all of them.
 *
 * <p>Match on a group with {@link #find}, {@link #contains}, {@link #split} or {@link #subgroup}
 * (Python's {@code except*} does what {@code split} does).
 */
public final class ExceptionGroup extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The parts of a group that match a condition and the rest. */
  public record Split(Optional<ExceptionGroup> matching, Optional<ExceptionGroup> rest) {}

  private final List<Throwable> exceptions;

  /**
   * Creates a group.
   *
   * @param message what the group means
   * @param exceptions one or more exceptions, none null
   * @throws IllegalArgumentException if {@code exceptions} is empty
   * @throws NullPointerException if an argument or element is null
   */
  public ExceptionGroup(String message, List<? extends Throwable> exceptions) {
    super(Objects.requireNonNull(message, "message") + " (" + exceptions.size() + " sub-exception"
        + (exceptions.size() == 1 ? "" : "s") + ")");
    if (exceptions.isEmpty()) {
      throw new IllegalArgumentException("an ExceptionGroup needs at least one exception");
    }
    for (Throwable t : exceptions) {
      Objects.requireNonNull(t, "exceptions must not contain null");
    }
    this.exceptions = List.copyOf(exceptions);
    for (Throwable t : this.exceptions) {
      if (t != this) {
        addSuppressed(t);
      }
    }
  }

  /** The direct sub-exceptions, in the order they happened. */
  public List<Throwable> exceptions() {
    return exceptions;
  }

  /** Every exception that is not a group, depth-first. */
  public List<Throwable> leaves() {
    List<Throwable> out = new ArrayList<>();
    collectLeaves(this, out);
    return out;
  }

  private static void collectLeaves(ExceptionGroup g, List<Throwable> out) {
    for (Throwable t : g.exceptions) {
      if (t instanceof ExceptionGroup sub) {
        collectLeaves(sub, out);
      } else {
        out.add(t);
      }
    }
  }

  /**
   * The first leaf of {@code type}, depth-first.
   *
   * @param type the exception type
   * @param <E> the exception type
   * @return the exception, or empty
   */
  public <E extends Throwable> Optional<E> find(Class<E> type) {
    Objects.requireNonNull(type, "type");
    for (Throwable t : leaves()) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }

  /**
   * Whether some leaf is of {@code type}.
   *
   * @param type the exception type
   * @return whether one matches
   */
  public boolean contains(Class<? extends Throwable> type) {
    return find(type).isPresent();
  }

  /**
   * A group with the same nesting holding only the exceptions that match, or empty. The condition
   * is tried on each group first and then on its members, as in Python.
   *
   * @param condition the test
   * @return the matching part
   */
  public Optional<ExceptionGroup> subgroup(Predicate<? super Throwable> condition) {
    return split(condition).matching();
  }

  /**
   * Splits into the exceptions that match {@code condition} and the rest, keeping the nesting.
   *
   * @param condition the test
   * @return both parts, each empty when nothing falls into it
   */
  public Split split(Predicate<? super Throwable> condition) {
    Objects.requireNonNull(condition, "condition");
    if (condition.test(this)) {
      return new Split(Optional.of(this), Optional.empty());
    }
    List<Throwable> yes = new ArrayList<>();
    List<Throwable> no = new ArrayList<>();
    for (Throwable t : exceptions) {
      if (t instanceof ExceptionGroup sub) {
        Split s = sub.split(condition);
        s.matching().ifPresent(yes::add);
        s.rest().ifPresent(no::add);
      } else if (condition.test(t)) {
        yes.add(t);
      } else {
        no.add(t);
      }
    }
    return new Split(derive(yes), derive(no));
  }

  /**
   * Splits by exception type.
   *
   * @param type the type that matches
   * @return both parts
   */
  public Split split(Class<? extends Throwable> type) {
    Objects.requireNonNull(type, "type");
    return split(type::isInstance);
  }

  private Optional<ExceptionGroup> derive(List<Throwable> parts) {
    if (parts.isEmpty()) {
      return Optional.empty();
    }
    if (parts.equals(exceptions)) {
      return Optional.of(this);
    }
    String msg = getMessage();
    int cut = msg.lastIndexOf(" (");
    return Optional.of(new ExceptionGroup(cut > 0 ? msg.substring(0, cut) : msg, parts));
  }
}
